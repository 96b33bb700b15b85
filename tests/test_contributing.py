"""CONTRIBUTING.md's promises: the naming scheme, the recipe scaffold, the
lock files and the Tested versions page that CI's matrix and the locks make.
"""

import re
import sys
import tomllib
from pathlib import Path

import yaml
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name
from packaging.version import Version

from harness import (
    PAGES,
    REPO,
    SNIPPETS,
    Site,
    packages_tested_with,
    run_checked,
)

SCAFFOLD = REPO / "recipe-template" / "scaffold.py"
PLACEHOLDER = "FILL_IN"
INCLUDE = re.compile(r'^\s*--8<-- "([^":]+)', re.MULTILINE)


def included(root: Path) -> dict[str, list[str]]:
    """The snippet files each page of root/docs includes, by page."""
    return {
        str(page.relative_to(root / "docs")): INCLUDE.findall(page.read_text())
        for page in sorted((root / "docs").rglob("*.md"))
    }


def snippet_files(root: Path) -> list[str]:
    return sorted(
        str(path.relative_to(root / "snippets"))
        for path in (root / "snippets").rglob("*")
        if path.is_file() and "__pycache__" not in path.parts
    )


def unnamed(root: Path) -> list[str]:
    """Includes whose tests/test_<first folder>.py does not name them.

    A test names a snippet by its path, or a folder of it below the first,
    in quotes: "basics/env.py", "basics/app", f"basics/commands.sh:{x}".
    """
    missing = []
    for page, refs in included(root).items():
        for ref in refs:
            area, *rest = Path(ref).parts
            test = root / "tests" / f"test_{area.replace('-', '_')}.py"
            source = test.read_text() if test.exists() else ""
            names = [
                "/".join([area, *rest[:i]]) for i in range(1, len(rest) + 1)
            ]
            if not any(
                re.search(rf"""["']{re.escape(name)}["':]""", source)
                for name in names
            ):
                missing.append(f"{page}: {ref} ({test.name})")
    return missing


def placeholders(root: Path) -> list[str]:
    """Lines of pages, snippets and tests still holding the template's marker."""
    files = [
        *(root / "docs").rglob("*.md"),
        *(root / "snippets").rglob("*.*"),
        *(root / "tests").glob("*.py"),
    ]
    return [
        f"{path.relative_to(root)}:{number}: {line.strip()}"
        for path in sorted(files)
        if path.resolve() != Path(__file__).resolve()
        for number, line in enumerate(path.read_text().splitlines(), 1)
        if PLACEHOLDER in line
    ]


def test_every_snippet_file_is_included_by_a_page() -> None:
    pages = included(REPO).values()
    shown = {ref for refs in pages for ref in refs}
    alone = [f for f in snippet_files(REPO) if f not in shown]
    assert not alone, "snippets no page includes:\n" + "\n".join(alone)


def test_every_included_snippet_is_named_by_its_area_test_file() -> None:
    """docs/…/*.md includes snippets/<area>/…, run by tests/test_<area>.py."""
    missing = unnamed(REPO)
    assert not missing, "snippets no test names:\n" + "\n".join(missing)


def test_no_page_snippet_or_test_keeps_a_template_placeholder() -> None:
    """`make recipe` writes FILL_IN in each file: this fails until it is gone."""
    left = placeholders(REPO)
    assert not left, "fill in every placeholder:\n" + "\n".join(left)


def test_make_recipe_writes_a_page_a_snippet_and_a_test(
    tmp_path: Path,
) -> None:
    """The three files follow the naming scheme and hold placeholders."""
    (tmp_path / "snippets" / "basics").mkdir(parents=True)
    (tmp_path / "snippets" / "basics" / "env.py").write_bytes(
        (SNIPPETS / "basics" / "env.py").read_bytes()
    )
    (tmp_path / "mkdocs.yml").write_bytes((REPO / "mkdocs.yml").read_bytes())
    run_checked([sys.executable, SCAFFOLD, "batch-mode", "--root", tmp_path])
    assert snippet_files(tmp_path) == ["basics/env.py", "batch-mode/env.py"]
    assert included(tmp_path) == {
        "recipes/batch-mode.md": ["batch-mode/env.py"]
    }
    assert unnamed(tmp_path) == []
    assert {line.split(":")[0] for line in placeholders(tmp_path)} == {
        "docs/recipes/batch-mode.md",
        "snippets/batch-mode/env.py",
        "tests/test_batch_mode.py",
    }
    nav = yaml.load(
        (tmp_path / "mkdocs.yml").read_text(), Loader=yaml.BaseLoader
    )["nav"]
    recipes = next(item["Recipes"] for item in nav if "Recipes" in item)
    assert recipes[-1] == {"Batch mode": "recipes/batch-mode.md"}


def pins(lock: str) -> dict[str, str]:
    """Package name to pinned version, for packages pinned once in a lock."""
    found = re.findall(
        r"^([\w.-]+)==([^\s;]+)", (REPO / lock).read_text(), re.MULTILINE
    )
    names = [name for name, _ in found]
    return {name: v for name, v in found if names.count(name) == 1}


def claims() -> list[Requirement]:
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    return [Requirement(dep) for dep in pyproject["project"]["dependencies"]]


def test_lowest_lock_pins_the_claimed_lower_bounds_and_nothing_else() -> None:
    """`make lock` changes only pyproject's dependencies, to their minimum."""
    locked, lowest = (
        pins("requirements.lock"),
        pins("requirements-lowest.lock"),
    )
    for claim in claims():
        (bound,) = [s.version for s in claim.specifier if s.operator == ">="]
        assert Version(lowest[claim.name]) == Version(bound), claim
        assert claim.specifier.contains(locked[claim.name]), claim
    own = {claim.name for claim in claims()}
    assert {
        name: (version, locked[name])
        for name, version in lowest.items()
        if name in locked and name not in own and version != locked[name]
    } == {}


def requirement_lines(lock: str) -> set[str]:
    """Each `name==version ; marker` line of a lock, without its hashes."""
    return set(
        re.findall(
            r"^([\w.-]+==.*?) *\\$", (REPO / lock).read_text(), re.MULTILINE
        )
    )


def test_docs_lock_pins_the_docs_extra_as_requirements_lock_does() -> None:
    """`make serve` builds with the versions the tests run: the pages name
    them."""
    docs = requirement_lines("requirements-docs.lock")
    assert docs - requirement_lines("requirements.lock") == set()
    pyproject = tomllib.loads((REPO / "pyproject.toml").read_text())
    extra = [
        Requirement(r)
        for r in pyproject["project"]["optional-dependencies"]["docs"]
    ]
    locked = {canonicalize_name(line.partition("==")[0]) for line in docs}
    named = {r.name for r in [*extra, *claims()]}
    named |= {name for page in PAGES for name in packages_tested_with(page)}
    assert {canonicalize_name(n) for n in named if n} - locked == set()


def test_tested_versions_page_shows_the_locks_and_the_ci_matrix(
    site: Site,
) -> None:
    table = site.soup("tested-versions").select_one("article table")
    header, *rows = [
        [cell.get_text() for cell in row.select("th, td")]
        for row in table.select("tr")
    ]
    shown = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    jobs = yaml.safe_load((REPO / ".github/workflows/ci.yml").read_text())
    matrix = jobs["jobs"]["test"]["strategy"]["matrix"]["python-version"]
    assert list(shown) == ["test", "lowest", "highest"]
    assert shown["test"]["Python"] == ", ".join(matrix) == "3.11, 3.12, 3.13"
    for job, lock in [
        ("test", "requirements.lock"),
        ("lowest", "requirements-lowest.lock"),
    ]:
        assert shown[job]["Versions from"] == lock
        for claim in claims():
            assert shown[job][claim.name] == pins(lock)[claim.name]
    assert {shown["highest"][claim.name] for claim in claims()} == {"newest"}
