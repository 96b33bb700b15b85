"""The install commands pages show, against pyproject.toml and this
environment."""

from __future__ import annotations

import shlex
import tomllib
from importlib.metadata import version

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

from .snippets import REPO, read_snippet


def project_requirements() -> dict[str, Requirement]:
    """pyproject.toml's dependencies and its `docs` extra, by name."""
    project = tomllib.loads((REPO / "pyproject.toml").read_text())["project"]
    lines = [
        *project["dependencies"],
        *project["optional-dependencies"]["docs"],
    ]
    return {canonicalize_name(r.name): r for r in map(Requirement, lines)}


def installed_as_claimed(ref: str) -> list[Requirement]:
    """The requirements of a `pip install` section: each one pyproject.toml
    names, installed here at a version that both claims allow."""
    [line] = read_snippet(ref).splitlines()
    program, command, *words = shlex.split(line)
    assert (program, command) == ("pip", "install")
    ours = project_requirements()
    requirements = [Requirement(word) for word in words]
    for requirement in requirements:
        name = canonicalize_name(requirement.name)
        assert name in ours, f"{ref}: {name} is not in pyproject.toml"
        assert requirement.extras <= ours[name].extras, requirement
        installed = version(name)
        for claim in (requirement, ours[name]):
            assert claim.specifier.contains(installed), (claim, installed)
    return requirements


def packages_tested_with(page: str) -> set[str]:
    """The packages a page's `<!-- tested with: ... -->` line names."""
    text = (REPO / "docs" / f"{page}.md").read_text()
    _, _, names = text.partition("<!-- tested with: ")
    return {name.strip() for name in names.partition(" -->")[0].split(",")}
