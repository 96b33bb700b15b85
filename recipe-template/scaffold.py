"""`make recipe NAME=...`: a new recipe's page, snippet and test, to fill in.

NAME is lower-case words joined by hyphens, e.g. `batch-mode`:

- docs/recipes/batch-mode.md, from docs/recipes/recipe-name.md here;
- snippets/batch-mode/env.py, the notes' complete env.py to change;
- tests/test_batch_mode.py, from tests/test_recipe_name.py here;

and the page goes into mkdocs.yml's nav, under Recipes. Every file carries
FILL_IN placeholders, which the test suite rejects until they are replaced.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

TEMPLATE = Path(__file__).resolve().parent
PLACEHOLDER = "FILL_IN"
NAME = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
SNIPPET_NOTE = (
    f"# {PLACEHOLDER}: change this copy of the notes' complete env.py, and\n"
    "# mark the lines the page shows between `# --8<-- [start:<section>]`\n"
    "# and `# --8<-- [end:<section>]`.\n"
)


def scaffold(name: str, root: Path) -> list[Path]:
    """Write the recipe's three files under root and list them in the nav."""
    module = name.replace("-", "_")
    files = {
        root / "docs" / "recipes" / f"{name}.md": _template(
            "docs/recipes/recipe-name.md", name, module
        ),
        root / "snippets" / name / "env.py": SNIPPET_NOTE
        + (root / "snippets" / "basics" / "env.py").read_text(),
        root / "tests" / f"test_{module}.py": _template(
            "tests/test_recipe_name.py", name, module
        ),
    }
    if existing := [str(path) for path in files if path.exists()]:
        raise SystemExit(f"already there: {', '.join(existing)}")
    for path, text in files.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    _add_to_nav(root / "mkdocs.yml", name)
    return list(files)


def _template(path: str, name: str, module: str) -> str:
    text = (TEMPLATE / path).read_text()
    return text.replace("recipe-name", name).replace("recipe_name", module)


def _add_to_nav(mkdocs_yml: Path, name: str) -> None:
    """Append the page to the nav's Recipes, made before Tested versions."""
    lines = mkdocs_yml.read_text().splitlines(keepends=True)
    entry = (
        f"      - {name.replace('-', ' ').capitalize()}: recipes/{name}.md\n"
    )
    start = lines.index("nav:\n") + 1
    end = next(
        (i for i in range(start, len(lines)) if not lines[i].startswith(" ")),
        len(lines),
    )
    if "  - Recipes:\n" in lines[start:end]:
        group = lines.index("  - Recipes:\n", start) + 1
        while group < end and lines[group].startswith("    "):
            group += 1
        lines.insert(group, entry)
    else:
        after = [
            i for i in range(start, end) if "  - Tested versions:" in lines[i]
        ]
        at = after[0] if after else end
        lines[at:at] = ["  - Recipes:\n", entry]
    mkdocs_yml.write_text("".join(lines))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name", help="lower-case words joined by hyphens")
    parser.add_argument("--root", type=Path, default=TEMPLATE.parent)
    args = parser.parse_args()
    if not NAME.fullmatch(args.name):
        parser.error(f"NAME must look like batch-mode, not {args.name!r}")
    for path in scaffold(args.name, args.root):
        print(f"wrote {path.relative_to(args.root)}")
    print(f"added recipes/{args.name}.md to mkdocs.yml's nav; now fill in")
    print(f"every {PLACEHOLDER}, as CONTRIBUTING.md says, and run make test")


if __name__ == "__main__":
    main()
