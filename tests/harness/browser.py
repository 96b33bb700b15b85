"""The built site served on 127.0.0.1, and the chromium that visits it.

Playwright and MkDocs are imported where they are used: a run of one
recipe's tests loads neither.
"""

from __future__ import annotations

import gzip
import mimetypes
import os
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

from .site import Site
from .snippets import REPO

if TYPE_CHECKING:
    from playwright.sync_api import Browser

# Debian's chromium, which make test installs; CHROMIUM names another build of
# Chromium where Debian's cannot be installed (GitHub's Ubuntu runners).
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # The browser tests keep more than one tab busy: without these, a tab in
    # the background runs its timers once a second.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: object, client_address: object) -> None:
        """A client that drops its connection (a browser closing a tab on a
        kept-alive one) is no error, as for a web host."""
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


@contextmanager
def serve(root: Path, path: str = "/") -> Iterator[str]:
    """Serve `root` at http://127.0.0.1:<port><path>, as a web host does.

    A folder serves its index.html, a missing file the site's 404.html,
    text is gzipped for a client that accepts it, and a browser may keep a
    file for ten minutes (GitHub Pages' `Cache-Control`), so a page's
    stylesheets and scripts come from its cache on the next page.
    """

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as a host has

        def do_GET(self) -> None:
            url = unquote(urlsplit(self.path).path)
            file = root / url.removeprefix(path)
            if url.startswith(path) and file.is_dir():
                if not url.endswith("/"):
                    self.send_response(301)
                    self.send_header("Location", f"{url}/")
                    self.end_headers()
                    return
                file /= "index.html"
            found = url.startswith(path) and file.is_file()
            if not found or root.resolve() not in file.resolve().parents:
                found, file = False, root / "404.html"
            body = file.read_bytes()
            kind = mimetypes.guess_type(file.name)[0] or "text/plain"
            self.send_response(200 if found else 404)
            if "gzip" in self.headers.get("Accept-Encoding", "") and (
                kind.startswith("text/")
                or kind.endswith(("json", "script", "xml"))
            ):
                body = gzip.compress(body)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Type", kind)
            self.send_header("Cache-Control", "max-age=600")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet: no line per request."""

    server = _Server(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()


def site_path() -> str:
    """The path of mkdocs.yml's site_url, where a host serves the site."""
    from mkdocs.config import load_config

    return urlsplit(load_config(str(REPO / "mkdocs.yml")).site_url).path


@pytest.fixture(scope="session")
def site_url(site: Site) -> Iterator[str]:
    """The site served on 127.0.0.1, at the path of mkdocs.yml's site_url."""
    with serve(site.root, site_path()) as url:
        yield url


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Headless chromium (CHROMIUM), for the session."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "every_page: needs every page's visit; --page leaves it out"
    )


def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """With --page, the tests that compare every page do not run."""
    if config.getoption("page"):
        out = [item for item in items if item.get_closest_marker("every_page")]
        items[:] = [item for item in items if item not in out]
        config.hook.pytest_deselected(items=out)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--page",
        action="append",
        default=[],
        metavar="PAGE",
        help="browser tests: visit docs/PAGE.md's page only (repeatable)",
    )
