"""docs/recipes/logging.md: the application's loggers outlive env.py."""

import logging

import pytest

from harness import Project


@pytest.fixture
def logged(project: Project) -> Project:
    """The notes' application, whose app.main migrates, then logs."""
    return project.recipe(
        "logging/env.py",
        "basics/app",
        revision="create some_model",
        put={"logging/main.py": "app/main.py"},
    )


def test_the_applications_logger_still_logs_after_the_upgrade(
    logged: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    logged.load("app.main").main()
    assert logged.tables() == {"some_model"}
    assert not logging.getLogger("app.main").disabled
    handlers = logging.getLogger().handlers
    assert [type(handler) for handler in handlers] == [logging.StreamHandler]
    err = capsys.readouterr().err
    assert "WARNI [app.main] database upgraded, starting" in err


def test_the_generated_file_config_disables_it(
    logged: Project, capsys: pytest.CaptureFixture[str]
) -> None:
    logged.edit_env(", disable_existing_loggers=False")
    logged.load("app.main").main()
    assert logging.getLogger("app.main").disabled
    assert "database upgraded" not in capsys.readouterr().err
