"""MkDocs hooks: accessibility fixes that a theme override cannot reach."""

import html
import re

# pymdownx.tasklist's custom checkbox, then the item's text.
TASK = re.compile(
    r'(<label class="task-list-control"><input type="checkbox" disabled)'
    r'((?: checked)?/><span class="task-list-indicator"></span></label>)'
    r"(.*?)(?=</?p>|</li>|<ul|<ol)",
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


def on_page_content(content: str, **_: object) -> str:
    """Name each task's checkbox by its text (axe's label rule)."""

    def named(task: re.Match[str]) -> str:
        text = html.unescape(TAG.sub("", task[3])).strip()
        return f'{task[1]} aria-label="{html.escape(text)}"{task[2]}{task[3]}'

    return TASK.sub(named, content)
