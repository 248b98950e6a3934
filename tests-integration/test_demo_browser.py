"""The demo in a real browser: Playwright driving Debian's Chromium against uvicorn.

One visit as people would make it: the home page with its stylesheet, the login, a note
created through the page's form, a chat between two browser pages (two visitors) over
WebSocket, the live feed (Server-Sent Events) showing the new note on both pages, a file
upload, the custom 404 page and the debug page of a failing route (the demo runs with
``DEMO_DEBUG=1``). Screenshots go to ``tests-integration/artifacts/`` (ignored by git);
``docs/pages/assets/demo-browser.png`` is one of them.

The browser is Debian's ``chromium`` (``apt-get install chromium``; ``CHROMIUM`` names
another executable); Playwright's pip package brings only its driver. Where the browser is
missing the test skips, saying how to install it; under ``ASGI_STRICT=1`` (CI) it fails.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from _servers import Server, serving

if TYPE_CHECKING:
    from playwright.sync_api import Browser, FilePayload, Page

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
STRICT = os.environ.get("ASGI_STRICT") == "1"

#: Chromium's switches for a headless run in a container, with no network of its own.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

#: How long the page may take to show what the test waits for (milliseconds).
WAIT = 10_000


def chromium_path() -> str:
    executable = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(executable).is_file():
        reason = (
            f"Chromium not found at {executable}, so the browser test cannot run: "
            "apt-get install chromium (Debian/Ubuntu), or set CHROMIUM=/path/to/chromium"
        )
        if STRICT:
            pytest.fail(f"ASGI_STRICT=1: {reason}")
        pytest.skip(reason)
    return executable


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = chromium_path()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    database = tmp_path_factory.mktemp("browser") / "demo.sqlite3"
    env = {"DEMO_DEBUG": "1", "DEMO_DATABASE": str(database), "DEMO_SSE_PING": "0.5"}
    env["REDIS_URL"] = ""  # memory:// and the memory session store, whatever the shell says
    with serving("uvicorn-httptools", "examples.demo.app:app", cwd=ROOT, env=env) as server:
        yield server
    log = server.log()
    assert log.count("Traceback (most recent call last)") == log.count(CRASH_TRACEBACK), log


#: The one traceback the server logs: the failing route's, on purpose.
CRASH_TRACEBACK = "RuntimeError: This page fails on purpose, to show the 500 page."


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / ".gitignore").write_text("# screenshots of the browser test\n*\n")
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def text_of(page: Page, selector: str) -> str:
    return page.locator(selector).inner_text()


@pytest.fixture
def pages(browser: Browser, demo: Server) -> Iterator[tuple[Page, Page]]:
    """Two visitors' pages, each in a browser context (cookies) of its own."""
    contexts = [browser.new_context(base_url=demo.url) for _ in range(2)]
    try:
        yield contexts[0].new_page(), contexts[1].new_page()
    finally:
        for context in contexts:  # before the server stops: no feed left to wait for
            context.close()


def test_the_demo_in_a_browser(pages: tuple[Page, Page], demo: Server) -> None:
    from playwright.sync_api import expect

    expect.set_options(timeout=WAIT)
    ada, guest = pages
    websockets: list[str] = []
    ada.on("websocket", lambda socket: websockets.append(socket.url))

    # the home page, styled by the stylesheet StaticFiles serves
    with ada.expect_response("**/static/demo.css") as stylesheet:
        home = ada.goto("/")
    assert home is not None
    assert home.status == 200
    assert stylesheet.value.status == 200
    assert stylesheet.value.headers["content-type"] == "text/css; charset=utf-8"
    assert stylesheet.value.headers["content-encoding"] in ("br", "gzip")  # precompressed
    style = "getComputedStyle(document.querySelector('header')).display"
    assert ada.evaluate(style) == "flex"  # header { display: flex; } in demo.css
    expect(ada.locator("h1")).to_have_text("asgi-framework demo")

    # log in through the form; the session is kept (the account page, then home again)
    ada.get_by_role("link", name="Log in").click()
    ada.get_by_label("Name").fill("ada")
    ada.get_by_label("Password").fill("demo")
    ada.get_by_role("button", name="Log in").click()
    expect(ada).to_have_url(demo.url + "/account")
    expect(ada.locator("h1")).to_have_text("Hello, ada")
    with ada.expect_response("**/api/events"):  # the feed answered: it is subscribed
        ada.goto("/")
    expect(ada.locator("#login-state")).to_contain_text("Logged in as ada")
    expect(ada.locator("#chat-log")).to_contain_text("ada joined")  # the chat is subscribed

    # a second visitor, not logged in; both pages have joined the chat and the feed
    with guest.expect_response("**/api/events"):
        guest.goto("/")
    expect(guest.locator("#chat-log")).to_contain_text("guest joined")
    expect(ada.locator("#chat-log")).to_contain_text("guest joined")
    assert set(websockets) == {demo.url.replace("http", "ws") + "/ws/chat?name=guest"}

    # a note created through ada's page: both pages see it arrive over the feed
    ada.get_by_placeholder("title").fill("Groceries")
    ada.get_by_placeholder("body").fill("milk & bread")
    ada.get_by_role("button", name="Add note").click()
    for page in (ada, guest):
        expect(page.locator("#events")).to_have_text("note 1: Groceries")
        expect(page.locator("#notes li").first).to_have_text("Groceries: milk & bread")
    expect(ada.get_by_placeholder("title")).to_have_value("")  # the form was reset

    # the chat: what one page sends, both show (ada under the session's name)
    ada.get_by_placeholder("say something").fill("hello from ada")
    ada.get_by_role("button", name="Send").click()
    expect(guest.locator("#chat-log")).to_contain_text("ada: hello from ada")
    guest.get_by_placeholder("say something").fill("hi ada")
    guest.get_by_placeholder("say something").press("Enter")  # submits the form too
    for page in (ada, guest):
        expect(page.locator("#chat-log")).to_contain_text("ada: hello from ada\nguest: hi ada")

    # an upload, sent by the page's script: the page stays and shows the answer
    files: list[FilePayload] = [
        {"name": "hello.txt", "mimeType": "text/plain", "buffer": b"hello"},
        {"name": "data.bin", "mimeType": "application/octet-stream", "buffer": bytes(2048)},
    ]
    ada.locator("#upload-form input[type=file]").set_input_files(files)
    ada.get_by_role("button", name="Upload").click()
    expect(ada.locator("#upload-result")).to_have_text(
        "Received 2 file(s)\nhello.txt: 5 bytes, text/plain\n"
        "data.bin: 2048 bytes, application/octet-stream"
    )
    expect(ada).to_have_url(demo.url + "/")
    shot = screenshot(ada, "demo-home")
    assert shot.stat().st_size > 10_000

    # the custom 404 page, a template styled like the others and knowing who is logged in
    missing = ada.goto("/nowhere")
    assert missing is not None
    assert missing.status == 404
    expect(ada.locator("h1")).to_have_text("404 · Page not found")
    expect(ada.locator("#login-state")).to_contain_text("Logged in as ada")
    assert ada.evaluate(style) == "flex"
    screenshot(ada, "demo-404")

    # the debug page of a failing route: the exception, the traceback, the request
    crash = ada.goto("/crash")
    assert crash is not None
    assert crash.status == 500
    expect(ada.locator("h1")).to_have_text("RuntimeError")
    expect(ada.locator("header p")).to_have_text(
        "This page fails on purpose, to show the 500 page."
    )
    expect(ada.locator("main")).to_contain_text("raise RuntimeError(")
    expect(ada.locator("main")).to_contain_text("Never enable debug in production.")
    screenshot(ada, "demo-debug-page")
