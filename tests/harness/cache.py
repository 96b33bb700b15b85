"""What the tests make once and keep in .cache/ for later runs: the site's
builds, and the servers' fresh data folders (which each session copies)."""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from .programs import run_checked
from .snippets import REPO


def cached(name: str, key: str, make: Callable[[Path], None]) -> Path:
    """A folder, .cache/<name>/<key>/, that `make(folder)` fills.

    Made once for all the pytest processes of a run and of later runs, as
    long as the key is the same: one at a time, under a lock; the folders of
    other keys are removed.
    """
    cache = REPO / ".cache" / name
    cache.mkdir(parents=True, exist_ok=True)
    folder = cache / key
    with (cache / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not folder.is_dir():
            for old in cache.iterdir():
                if old.is_dir():
                    shutil.rmtree(old)
            making = Path(tempfile.mkdtemp(dir=cache, prefix="making-"))
            make(making)
            making.rename(folder)
    return folder


def program_key(*argv: str | Path) -> str:
    """A key for what a program makes from its arguments: the arguments,
    the program's file (which an upgrade replaces) and the user it runs as."""
    program = os.stat(argv[0])
    digest = hashlib.sha256(
        repr(
            [argv, program.st_size, program.st_mtime_ns, os.geteuid()]
        ).encode()
    )
    return digest.hexdigest()[:16]


def fresh_data(
    name: str, argv: list[str | Path], data: Path, make: Callable[[], None]
) -> None:
    """A server's data folder, `data`, as `make()` fills it with the program
    of `argv`: the first session makes it and keeps a copy in
    .cache/<name>/<program_key(argv)>/; later ones copy that (`cp -a`, which
    keeps the files' owner)."""

    def keep(cache: Path) -> None:
        make()
        run_checked(["cp", "-a", data, cache])

    cache = cached(name, program_key(*argv), keep)
    if not data.exists():
        run_checked(["cp", "-a", cache / data.name, data])
