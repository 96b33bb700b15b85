"""Tests marked `last` run after the rest of a whole-suite run."""

from __future__ import annotations

import pytest


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "last: run after every other test of a whole-suite run"
    )


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
    if whole_suite(config):
        items.extend(last)
    elif last:
        config.hook.pytest_deselected(items=last)


_DESELECTED = pytest.StashKey[bool]()


def pytest_deselected(items: list[pytest.Item]) -> None:
    """Note a run that leaves tests out (-k, -m, --lf, --deselect)."""
    if items:
        items[0].config.stash[_DESELECTED] = True


def whole_suite(config: pytest.Config) -> bool:
    """Whether this session runs every test: no paths, none deselected."""
    return (
        config.args_source == pytest.Config.ArgsSource.TESTPATHS
        and not config.stash.get(_DESELECTED, False)
    )
