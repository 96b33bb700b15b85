"""Markdown extension: the versions that the site's snippets were tested
with, written when the site is built, so that no one types them.

- `<!-- tested with -->`, the line below a recipe page's title, becomes the
  Alembic, SQLAlchemy and SQLite versions installed, the same that the test
  suite runs the recipes against; `<!-- tested with: aiosqlite -->` adds
  packages.
- `<!-- tested versions -->`, on docs/tested-versions.md, becomes the table of
  CI's versions. The libraries are pyproject.toml's dependencies. Each job of
  .github/workflows/ci.yml that runs `make ... test` is a row: its Python
  versions, and the versions pinned by the lock file it installs
  (requirements.lock, or the one its `LOCK=` names), or the newest releases
  where it runs `make highest` first.
"""

from __future__ import annotations

import re
import sqlite3
import tomllib
from importlib import metadata
from pathlib import Path

import yaml
from markdown import Extension, Markdown
from markdown.preprocessors import Preprocessor

ROOT = Path(__file__).resolve().parents[1]
TESTED_WITH = re.compile(r"<!-- tested with(?:: ([\w.-]+(?:, [\w.-]+)*))? -->")
TABLE = "<!-- tested versions -->"
PACKAGES = ["alembic", "sqlalchemy"]
NAMES = {"alembic": "Alembic", "sqlalchemy": "SQLAlchemy"}


class TestedVersions(Preprocessor):
    """Replace each marker line with what it stands for."""

    def run(self, lines: list[str]) -> list[str]:
        out = []
        for line in lines:
            if line == TABLE:
                out += table().split("\n")
            elif marker := TESTED_WITH.fullmatch(line):
                further = marker[1].split(", ") if marker[1] else []
                out += tested_with(PACKAGES + further)
            else:
                out.append(line)
        return out


class TestedVersionsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # After superfences (25) has taken the fences out, before the HTML
        # blocks (20) are.
        md.preprocessors.register(TestedVersions(md), "tested_versions", 22)


def makeExtension(**kwargs: object) -> TestedVersionsExtension:
    return TestedVersionsExtension(**kwargs)


def tested_with(packages: list[str]) -> list[str]:
    """The line a recipe page shows below its title, and its class."""
    names = [f"{NAMES.get(p, p)} {metadata.version(p)}" for p in packages]
    listed = f"{', '.join(names)} and SQLite {sqlite3.sqlite_version}"
    return [f"Tested with {listed}.", "{ .tested-with }"]


def table() -> str:
    """A Markdown table: one row per CI job, one column per library."""
    claims = requirements()
    libraries = [re.match(r"[\w.-]+", claim)[0] for claim in claims]
    rows = [
        ["CI job", "Python", "Versions from", *libraries],
        ["---"] * (3 + len(libraries)),
    ]
    for job, pythons, lock in test_jobs():
        versions = pinned(lock) if lock else {}
        rows.append(
            [
                f"`{job}`",
                ", ".join(pythons),
                f"`{lock}`" if lock else "the newest releases, at each run",
                *(versions.get(name, "newest") for name in libraries),
            ]
        )
    claimed = ", ".join(f"`{claim}`" for claim in claims)
    return "\n".join(f"| {' | '.join(row)} |" for row in rows) + (
        f"\n\n`pyproject.toml` claims {claimed}."
    )


def requirements() -> list[str]:
    """pyproject.toml's dependencies, as written there."""
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return project["dependencies"]


def pinned(lock: str) -> dict[str, str]:
    """Each package's pinned versions in a lock file, by lower-case name."""
    pins: dict[str, list[str]] = {}
    for name, version in re.findall(
        r"^([\w.-]+)==([^\s;]+)", (ROOT / lock).read_text(), re.MULTILINE
    ):
        pins.setdefault(name.lower(), []).append(version)
    return {name: ", ".join(versions) for name, versions in pins.items()}


def test_jobs() -> list[tuple[str, list[str], str | None]]:
    """(job, Python versions, lock file or None for the newest releases)."""
    workflow = yaml.safe_load((ROOT / ".github/workflows/ci.yml").read_text())
    jobs = []
    for name, job in workflow["jobs"].items():
        make = next(
            (
                step["run"].split()
                for step in job["steps"]
                if step.get("run", "").startswith("make ")
                and "test" in step["run"].split()
            ),
            None,
        )
        if make is None:
            continue
        matrix = job.get("strategy", {}).get("matrix", {})
        pythons = matrix.get("python-version") or [
            step["with"]["python-version"]
            for step in job["steps"]
            if step.get("uses", "").startswith("actions/setup-python@")
        ]
        lock = next(
            (arg.removeprefix("LOCK=") for arg in make if "LOCK=" in arg),
            "requirements.lock",
        )
        jobs.append((name, pythons, None if "highest" in make else lock))
    return jobs
