"""docs/recipes/recipe-name.md: FILL_IN the promise the page makes."""

from alembic import command

from harness import Project


def test_recipe_name_FILL_IN_the_promise(project: Project) -> None:
    """FILL_IN: name the test after the behaviour the page promises."""
    project.recipe(
        "recipe-name/env.py", "basics/app", revision="create some_model"
    )
    command.upgrade(project.config, "head")
    assert project.tables() == {"some_model"}
