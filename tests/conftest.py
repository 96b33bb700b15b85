import pytest

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
