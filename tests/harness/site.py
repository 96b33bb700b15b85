"""The built site, parsed with BeautifulSoup.

MkDocs and BeautifulSoup are imported where they are used: a run of one
recipe's tests loads neither.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import re
from collections.abc import Callable
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from .cache import cached
from .snippets import DOCS, PAGES, REPO

if TYPE_CHECKING:
    from bs4 import BeautifulSoup


class Site:
    """The site as `mkdocs build --strict` writes it."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._parsed: dict[str, BeautifulSoup] = {}

    def parse(self, html: str) -> BeautifulSoup:
        """An HTML file of the site, parsed once: read it, never change it."""
        if html not in self._parsed:
            from bs4 import BeautifulSoup

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

    @classmethod
    def template(cls, html: str) -> str:
        """The theme's template an HTML file was made with: its page's
        `template:`, or main.html; the error page's own."""
        from mkdocs.utils.meta import get_data

        if html == "404.html":
            return html
        page = cls.page_of(html)
        meta = get_data((DOCS / f"{page}.md").read_text())[1] if page else {}
        return meta.get("template", "main.html")

    def blocks(self, html: str) -> list[str]:
        """The text of every <pre> of an HTML file, in order."""
        pres = self.parse(html).find_all("pre")
        return [pre.get_text().rstrip("\n") for pre in pres]


# What a build of the site is made from, besides the installed packages.
SOURCES = [
    "mkdocs.yml",
    "pyproject.toml",
    "docs",
    "snippets",
    "overrides",
    "extensions",
    ".github/workflows",
    *(p.name for p in REPO.glob("requirements*.lock")),
]


@functools.cache
def sources_key() -> str:
    """A digest of every file a build reads, the installed packages and
    SITE_URL: equal digests, equal sites. Computed once a process, for
    the MkDocs and the Zensical build alike."""
    digest = hashlib.sha256(os.environ.get("SITE_URL", "").encode())
    for dist in sorted(metadata.distributions(), key=lambda d: d.name or ""):
        digest.update(f"{dist.name}=={dist.version}\n".encode())
    for source in SOURCES:
        path = REPO / source
        files = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in files:
            if file.is_file() and "__pycache__" not in file.parts:
                digest.update(str(file.relative_to(REPO)).encode())
                digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


def cached_build(name: str, build: Callable[[Path], None]) -> Path:
    """A build of the site, in .cache/<name>/<sources_key()>/: `build(folder)`
    writes it there once, for every run while nothing it is made from
    changes (harness.cache.cached)."""
    return cached(name, sources_key(), build)


def built_site() -> Path:
    """The site as mkdocs.yml's strict settings build it (cached_build)."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    def mkdocs_build(folder: Path) -> None:
        with contextlib.chdir(REPO):
            build(load_config(str(REPO / "mkdocs.yml"), site_dir=str(folder)))

    return cached_build("site", mkdocs_build)


@pytest.fixture(scope="session")
def site() -> Site:
    """The site, built with mkdocs.yml's strict settings (`built_site`)."""
    return Site(built_site())
