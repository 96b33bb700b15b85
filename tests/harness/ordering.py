"""Tests marked `last` run after the rest of a whole-suite run.

They check what the whole suite did: which snippets tests took, what outputs
they captured. On pytest-xdist's workers (`make test` runs two) each finished
test's records go, as a line, to a file of its worker in a folder that the
controller shares; the `every_test_done` fixture of a `last` test waits for
every other test of the run, on any worker, then adds the other workers'
records to its own.
"""

from __future__ import annotations

import json
import shutil
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import pytest

# A `last` test waits this long for a new line from any worker, then fails.
PATIENCE = 600.0

# {kind of record: what adds a record of another worker's to this process's}
MERGERS: dict[str, Callable[[object], None]] = {}
_unsent: list[tuple[str, object]] = []
_FOLDER = pytest.StashKey[Path]()
_EXPECTED = pytest.StashKey[int]()
_MERGED = pytest.StashKey[bool]()


def record(kind: str, value: object) -> None:
    """Note a record (one of MERGERS' kinds) for the other workers."""
    _unsent.append((kind, value))


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "last: run after every other test of a whole-suite run"
    )
    folder = getattr(config, "workerinput", {}).get("guide_records")
    if folder:
        config.stash[_FOLDER] = Path(folder)


@pytest.hookimpl(optionalhook=True)
def pytest_configure_node(node: object) -> None:
    """xdist's controller: one folder of records for all its workers."""
    config = node.config  # type: ignore[attr-defined]
    if _FOLDER not in config.stash:
        config.stash[_FOLDER] = Path(tempfile.mkdtemp(prefix="guide-records-"))
    node.workerinput["guide_records"] = str(config.stash[_FOLDER])  # type: ignore[attr-defined]


def pytest_unconfigure(config: pytest.Config) -> None:
    if _FOLDER in config.stash and not hasattr(config, "workerinput"):
        shutil.rmtree(config.stash[_FOLDER], ignore_errors=True)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(
    config: pytest.Config, items: list[pytest.Item]
) -> None:
    """Tests marked `last` run after the others, in their own order.

    A partial run (paths, -k, -m, --lf) leaves them out: they check what the
    whole suite did.
    """
    last = [item for item in items if item.get_closest_marker("last")]
    items[:] = [item for item in items if item not in last]
    config.stash[_EXPECTED] = len(items)
    if whole_suite(config):
        items.extend(last)
    elif last:
        config.hook.pytest_deselected(items=last)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_protocol(item: pytest.Item) -> object:
    """On a worker, a line for each finished test: its records."""
    result = yield
    if _FOLDER in item.config.stash:
        worker = item.config.workerinput["workerid"]  # type: ignore[attr-defined]
        line = json.dumps({"test": item.nodeid, "records": _unsent})
        with (item.config.stash[_FOLDER] / f"{worker}.jsonl").open("a") as f:
            f.write(line + "\n")
    _unsent.clear()
    return result


@pytest.fixture
def every_test_done(request: pytest.FixtureRequest) -> None:
    """On a worker, wait until every test but the `last` ones has finished,
    on any worker, and take their records, once for all `last` tests."""
    config = request.config
    if merged(config):
        return
    if _FOLDER not in config.stash:
        config.stash[_MERGED] = True
        return
    folder, own = config.stash[_FOLDER], config.workerinput["workerid"]  # type: ignore[attr-defined]
    expected, since = config.stash[_EXPECTED], time.monotonic()
    # {worker's file: how much of it is read}; {test: its worker, records}
    read: dict[Path, int] = {}
    done: dict[str, tuple[str, list]] = {}
    while True:
        before = len(done)
        for file in sorted(folder.glob("*.jsonl")):
            with file.open() as f:
                f.seek(read.get(file, 0))
                for line in iter(f.readline, ""):
                    if not line.endswith("\n"):  # still being written
                        break
                    entry = json.loads(line)
                    done[entry["test"]] = (file.stem, entry["records"])
                    read[file] = f.tell()
        if len(done) > before:
            since = time.monotonic()
        if len(done) >= expected:
            break
        assert time.monotonic() - since < PATIENCE, (
            f"{len(done)} of {expected} tests finished, and no other"
            f" for {PATIENCE:.0f} s: has a worker stopped?"
        )
        time.sleep(0.05)
    for worker, records in done.values():
        if worker != own:
            for kind, value in records:
                MERGERS[kind](value)
    config.stash[_MERGED] = True


def merged(config: pytest.Config) -> bool:
    """Whether this process holds every test's records: it ran a `last`
    test, whose `every_test_done` took the other workers' records."""
    return config.stash.get(_MERGED, False)


def whole_suite(config: pytest.Config) -> bool:
    """Whether this session runs every test: no paths, none deselected."""
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.stash.get(_DESELECTED, False)
    )


_DESELECTED = pytest.StashKey[bool]()


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Note a run that leaves tests out (-k, -m, --lf, --deselect)."""
    if items:
        items[0].config.stash[_DESELECTED] = True
