"""Running a program so that its failure shows what it printed. It imports
no other module of the harness, so that any of them can use it."""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from pathlib import Path


def run_checked(
    argv: list[str | Path],
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    input: str | None = None,
) -> subprocess.CompletedProcess[str]:
    """Run a program, its output captured as text. A failure is a
    CalledProcessError that shows what the program printed."""
    try:
        return subprocess.run(
            argv,
            cwd=cwd,
            env=env,
            input=input,
            capture_output=True,
            text=True,
            check=True,
        )
    except subprocess.CalledProcessError as error:
        error.add_note(f"stdout:\n{error.stdout}\nstderr:\n{error.stderr}")
        raise
