"""Zensical, Material's successor, builds the same mkdocs.yml.

The build runs on a copy of the sources, since Zensical writes its site and
cache inside the folder of the configuration file.
"""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness import PAGES, REPO, Site


@pytest.fixture(scope="module")
def zensical_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The site as `zensical build --strict` writes it from mkdocs.yml."""
    root = tmp_path_factory.mktemp("zensical")
    shutil.copy(REPO / "mkdocs.yml", root)
    for folder in ("docs", "snippets", "hooks", "overrides"):
        shutil.copytree(REPO / folder, root / folder)
    zensical = Path(sys.executable).parent / "zensical"
    subprocess.run(
        [zensical, "build", "--strict", "--config-file", root / "mkdocs.yml"],
        cwd=root,
        check=True,
        capture_output=True,
    )
    return Site(root / "site")


@pytest.mark.parametrize("doc", PAGES)
def test_zensical_shows_the_same_code_blocks(
    doc: str, site: Site, zensical_site: Site
) -> None:
    """Every snippet is included, with its title, exactly as MkDocs does."""
    assert zensical_site.code_blocks(doc) == site.code_blocks(doc)


def test_zensical_does_not_run_mkdocs_hooks_yet(
    site: Site, zensical_site: Site
) -> None:
    """What blocks a switch: Zensical ignores `hooks:`, so the generated
    parts are missing (the versions table, each recipe's versions line).

    When this fails, Zensical runs hooks: check its pages, then switch.
    """
    assert site.soup("tested-versions").select_one("article table")
    assert not zensical_site.soup("tested-versions").select_one(
        "article table"
    )
    assert site.soup("recipes/batch-mode").select_one("p.tested-with")
    assert not zensical_site.soup("recipes/batch-mode").select_one(
        "p.tested-with"
    )
