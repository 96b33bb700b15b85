"""The built site: parsed with BeautifulSoup, or served for a browser."""

from __future__ import annotations

import gzip
import mimetypes
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .snippets import PAGES, REPO

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
    # Every page of the site is open at once, each in its own tab: without
    # these, the tabs in the background run their timers once a second.
    "--disable-background-timer-throttling",
    "--disable-renderer-backgrounding",
    "--disable-backgrounding-occluded-windows",
]


class Site:
    """The site as `mkdocs build --strict` writes it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._parsed: dict[str, BeautifulSoup] = {}

    def parse(self, html: str) -> BeautifulSoup:
        """An HTML file of the site, parsed once: read it, never change it."""
        if html not in self._parsed:
            text = (self.root / html).read_text()
            self._parsed[html] = BeautifulSoup(text, "html.parser")
        return self._parsed[html]

    def soup(self, page: str) -> BeautifulSoup:
        """The parsed HTML of docs/<page>.md."""
        folder = re.sub(r"(^|/)index$", r"\1", page)
        return self.parse(f"{folder}/index.html".lstrip("/"))

    def code_blocks(self, page: str) -> list[tuple[str, str]]:
        """(title, text) of every code block of docs/<page>.md, in order."""
        blocks = []
        for block in self.soup(page).select("div.highlight"):
            title = block.find("span", class_="filename")
            code = block.find("code").get_text().rstrip("\n")
            blocks.append((title.get_text() if title else "", code))
        return blocks

    def html_pages(self) -> list[str]:
        """Every HTML file of the site, relative to its root."""
        files = self.root.rglob("*.html")
        return sorted(str(p.relative_to(self.root)) for p in files)

    @staticmethod
    def page_of(html: str) -> str | None:
        """The docs page that an HTML file was built from, if any."""
        page = html.removesuffix(".html").removesuffix("index").rstrip("/")
        names = [page, f"{page}/index".lstrip("/")]
        return next((name for name in names if name in PAGES), None)

    def blocks(self, html: str) -> list[str]:
        """The text of every <pre> of an HTML file, in order."""
        pres = self.parse(html).find_all("pre")
        return [pre.get_text().rstrip("\n") for pre in pres]


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site, built once per session with mkdocs.yml's strict settings."""
    site_dir = tmp_path_factory.mktemp("site")
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.chdir(REPO)
        build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(site_dir)))
    return Site(site_dir)


@contextmanager
def serve(root: Path, path: str = "/") -> Iterator[str]:
    """Serve `root` at http://127.0.0.1:<port><path>, as a web host does.

    A folder serves its index.html, a missing file the site's 404.html, and
    text is gzipped for a client that accepts it.
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
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args: object) -> None:
            """Quiet: no line per request."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_port}{path}"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="session")
def site_url(site: Site) -> Iterator[str]:
    """The site served on 127.0.0.1, at the path of mkdocs.yml's site_url."""
    path = urlsplit(load_config(str(REPO / "mkdocs.yml")).site_url).path
    with serve(site.root, path) as url:
        yield url
