import gc
import os
import sys
import tempfile
from pathlib import Path

import pytest

MEMORY = Path("/dev/shm")
# A whole run held 1.4 GB there at most (the servers' databases).
ROOM = 2 * 2**30


def _temporary_files_in_memory() -> None:
    """Temporary files (tmp_path, the database servers' clusters, the
    readers' command-line runs, chromium's profile) go to /dev/shm, the
    machine's memory, when TMPDIR names no other place and /dev/shm has ROOM
    and lets programs run. On this 2-core machine's disk each new file costs
    much system time: initdb takes 1.6 s there, 0.45 s in /dev/shm, and
    tests/test_non_transactional_ddl.py, which starts both servers, 4.2-4.7 s
    against 2.8-2.9 s (make test: 9 s less system time, its wall time within
    this machine's noise)."""
    if "TMPDIR" in os.environ or not os.access(MEMORY, os.W_OK):
        return
    found = os.statvfs(MEMORY)
    if found.f_bavail * found.f_frsize > ROOM and not (
        found.f_flag & os.ST_NOEXEC
    ):
        os.environ["TMPDIR"] = tempfile.tempdir = str(MEMORY)


_temporary_files_in_memory()

# pytest keeps each test module and harness module, its asserts rewritten, in
# __pycache__ (checked against the file's hash when read), unless Python may
# write no bytecode (PYTHONDONTWRITEBYTECODE, as this 2-core machine sets it):
# then every pytest process, and each of xdist's workers, rewrites them all
# again, 2 s a process here. They are kept whatever the setting; from the end
# of collection on, the applications that tests import write bytecode only as
# the setting says.
WRITES_BYTECODE = not sys.dont_write_bytecode
sys.dont_write_bytecode = False

# The harness's own asserts report their values, as a test's do.
pytest.register_assert_rewrite("harness")

pytest_plugins = [
    "harness.project",
    "harness.shapes",
    "harness.site",
    "harness.browser",
    "harness.postgres",
    "harness.mariadb",
    "harness.ordering",
    "harness.snippets",
    "harness.outputs",
    "pytester",
]


def pytest_collection_finish() -> None:
    """Bytecode as the setting says, from here on. What pytest, the harness
    and the test modules made up to here stays alive all run: collect the
    garbage once, then keep the rest out of the collector's walks, which
    would go through it all again at each full collection and at exit.
    Measured here: one recipe's tests 0.15-0.2 s faster (of about 1 s); the
    run of all but the browser's within this machine's noise (median of
    four, 47.0 s against 48.1 s)."""
    sys.dont_write_bytecode = not WRITES_BYTECODE
    gc.collect()
    gc.freeze()
