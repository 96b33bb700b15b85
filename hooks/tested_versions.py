"""Fill docs/tested-versions.md with what CI tests, so that no one types it.

The libraries are pyproject.toml's dependencies. Each job of
.github/workflows/ci.yml that runs `make ... test` is a row: its Python
versions, and the versions pinned by the lock file it installs
(requirements.lock, or the one its `LOCK=` names), or the newest releases
where it runs `make highest` first.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

import yaml
from mkdocs.exceptions import PluginError
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
PAGE = "tested-versions.md"
PLACEHOLDER = "<!-- tested versions: hooks/tested_versions.py -->"


def on_page_markdown(markdown: str, page: Page, **kwargs: Any) -> str:
    """Replace the page's placeholder with the table of CI's versions."""
    if page.file.src_uri != PAGE:
        return markdown
    if PLACEHOLDER not in markdown:
        raise PluginError(f"docs/{PAGE} has no {PLACEHOLDER!r}")
    return markdown.replace(PLACEHOLDER, table())


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
