// The index page's script: the note form, the live feed, the chat and the upload, all
// without leaving the page. Served by StaticFiles from examples/demo/static.
const events = document.getElementById("events");
const notes = document.getElementById("notes");
new EventSource("/api/events").addEventListener("note", (event) => {
  const note = JSON.parse(event.data);
  events.textContent += `note ${note.id}: ${note.title}\n`;
  const item = document.createElement("li");
  item.textContent = `${note.title}: ${note.body}`;
  notes.prepend(item);
});
document.getElementById("note-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  const data = Object.fromEntries(new FormData(event.target));
  await fetch("/api/notes", {method: "POST", headers: {"content-type": "application/json"}, body: JSON.stringify(data)});
  event.target.reset();
});
const log = document.getElementById("chat-log");
const socket = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/ws/chat?name=guest`);
socket.onmessage = (event) => { const m = JSON.parse(event.data); log.textContent += `${m.from}: ${m.text}\n`; };
socket.onclose = (event) => { log.textContent += `(chat closed: ${event.code} ${event.reason})\n`; };
document.getElementById("chat-form").addEventListener("submit", (event) => {
  event.preventDefault(); const input = document.getElementById("chat-text"); socket.send(input.value); input.value = "";
});
const uploadResult = document.getElementById("upload-result");
document.getElementById("upload-form").addEventListener("submit", async (event) => {
  event.preventDefault();
  uploadResult.textContent = "Uploading...";
  try {
    const response = await fetch("/upload", {method: "POST", body: new FormData(event.target)});
    const answer = await response.json();
    if (!response.ok) {
      uploadResult.textContent = `Upload refused (${response.status}): ${answer.detail}`;
      return;
    }
    const lines = answer.files.map((f) => `${f.filename}: ${f.size} bytes, ${f.content_type}`);
    uploadResult.textContent = `Received ${answer.files.length} file(s)\n${lines.join("\n")}`;
    event.target.reset();
  } catch (error) {
    uploadResult.textContent = `Upload failed: ${error}`;
  }
});
