"""Zensical, Material's successor, builds the same pages from mkdocs.yml.

The build runs on a copy of the sources, since Zensical writes its site and
cache inside the folder of the configuration file; the Markdown extensions
are this repository's extensions/, on the environment's path.
"""

import shutil
import sys
from pathlib import Path

import pytest

from harness import PAGES, REPO, Site, cached_build, run_checked


def zensical_build(folder: Path) -> None:
    """`zensical build --strict` of a copy of the sources, its site moved
    into folder."""
    root = folder / "sources"
    root.mkdir()
    shutil.copy(REPO / "mkdocs.yml", root)
    for source in ("docs", "snippets", "overrides"):
        shutil.copytree(REPO / source, root / source)
    zensical = Path(sys.executable).parent / "zensical"
    run_checked(
        [zensical, "build", "--strict", "--config-file", root / "mkdocs.yml"],
        root,
    )
    (root / "site").rename(folder / "site")
    shutil.rmtree(root)


@pytest.fixture(scope="module")
def zensical_site() -> Site:
    """The site as `zensical build --strict` writes it from mkdocs.yml,
    built once for every pytest process (harness cached_build)."""
    return Site(cached_build("zensical", zensical_build) / "site")


@pytest.mark.parametrize("doc", PAGES)
def test_zensical_shows_the_same_code_blocks(
    doc: str, site: Site, zensical_site: Site
) -> None:
    """Every snippet is included, with its title, exactly as MkDocs does."""
    assert zensical_site.code_blocks(doc) == site.code_blocks(doc)


def build_time_content(site: Site, page: str) -> list[str]:
    """The HTML that extensions/ writes on a page: the versions line, the
    Tested versions table and the line of claims below it, and each task's
    checkbox with its label."""
    article = site.soup(page).select_one("article")
    found = article.select(
        "p.tested-with, table, table + p, .task-list-control > input"
    )
    return [str(tag) for tag in found]


@pytest.mark.parametrize("doc", PAGES)
def test_zensical_shows_the_same_build_time_content(
    doc: str, site: Site, zensical_site: Site
) -> None:
    """Zensical runs the same Markdown extensions, to the same HTML."""
    assert build_time_content(zensical_site, doc) == build_time_content(
        site, doc
    )
