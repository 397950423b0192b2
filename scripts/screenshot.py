"""Screenshots of the page for the README, taken from the real index in headless Chromium.

    .venv/bin/python scripts/screenshot.py ["question"]

Serves var/index (KUNTAHAKU_INDEX) on a free loopback port, asks the question through the page
and writes web/screenshot.png (the answer) and web/screenshot-source.png (its cited source).
"""

from __future__ import annotations

import socket
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

import uvicorn
from playwright.sync_api import sync_playwright

from api.app import create_app
from indexer.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


def main() -> None:
    question = sys.argv[1] if len(sys.argv) > 1 else "Kemin valtionosuudet tammi–kesäkuu 2022"
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(Settings()), host="127.0.0.1", port=port,
                                           log_level="warning"))
    threading.Thread(target=server.run, daemon=True).start()
    while not server.started:
        time.sleep(0.05)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=FLAGS)
        page = browser.new_page(viewport={"width": 1200, "height": 1000})
        page.goto(f"http://127.0.0.1:{port}/?{urlencode({'q': question})}")
        page.wait_for_selector("#answer:not([hidden])")
        page.screenshot(path=ROOT / "web" / "screenshot.png")
        page.click("#answer .cite-open")
        page.wait_for_selector("#source-body .hint")
        page.screenshot(path=ROOT / "web" / "screenshot-source.png")
        browser.close()
    server.should_exit = True
    print("wrote web/screenshot.png and web/screenshot-source.png")  # noqa: T201


if __name__ == "__main__":
    main()
