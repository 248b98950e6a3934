// Runs the demo page's script in Node with a minimal stand-in for the browser's DOM, against
// the real demo server, submits the upload form, and prints what the page then shows.
//
// usage: node demo_page.mjs BASE_URL   (page HTML on standard input)
// Each line of standard output is one JSON object: {"step": ..., ...}.

import { readFileSync } from "node:fs";

const base = process.argv[2];
const html = readFileSync(0, "utf8");
const script = html.match(/<script>([\s\S]*?)<\/script>/)[1];

class Element {
  constructor(id) {
    this.id = id;
    this.textContent = "";
    this.value = "";
    this.children = [];
    this.listeners = {};
    this.entries = [];
    this.wasReset = false;
  }
  addEventListener(type, listener) {
    (this.listeners[type] ??= []).push(listener);
  }
  prepend(child) {
    this.children.unshift(child);
  }
  reset() {
    this.wasReset = true;
  }
  async dispatch(type) {
    const event = {
      type,
      target: this,
      defaultPrevented: false,
      preventDefault() {
        this.defaultPrevented = true;
      },
    };
    for (const listener of this.listeners[type] ?? []) await listener(event);
    return event;
  }
}

const elements = new Map();
globalThis.document = {
  getElementById(id) {
    if (!elements.has(id)) elements.set(id, new Element(id));
    return elements.get(id);
  },
  createElement(tag) {
    return new Element(tag);
  },
};
globalThis.location = { protocol: "http:", host: new URL(base).host };
globalThis.EventSource = class {
  addEventListener() {}
};
globalThis.WebSocket = class {
  send() {}
};
// the page's relative URLs go to the demo server
const realFetch = globalThis.fetch;
globalThis.fetch = (url, options) => realFetch(new URL(url, base), options);
// new FormData(form) reads the stand-in form's entries
const RealFormData = globalThis.FormData;
globalThis.FormData = class extends RealFormData {
  constructor(form) {
    super();
    for (const [name, value, filename] of form?.entries ?? []) this.append(name, value, filename);
  }
};

new Function(script)();

const form = document.getElementById("upload-form");
const result = document.getElementById("upload-result");
const report = (step, event) =>
  console.log(
    JSON.stringify({
      step,
      defaultPrevented: event.defaultPrevented,
      result: result.textContent,
      reset: form.wasReset,
    }),
  );

form.entries = [
  ["file", new Blob(["abc"], { type: "text/plain" }), "a.txt"],
  ["file", new Blob(["hello"], { type: "text/plain" }), "b.txt"],
];
report("small", await form.dispatch("submit"));

form.wasReset = false;
form.entries = [["file", new Blob([new Uint8Array(1024 * 1024 + 1)]), "big.bin"]];
report("too big", await form.dispatch("submit"));
