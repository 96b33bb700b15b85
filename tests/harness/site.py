"""The built site, parsed with BeautifulSoup."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup
from mkdocs.commands.build import build
from mkdocs.config import load_config

from .snippets import PAGES, REPO


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
