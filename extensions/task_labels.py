"""Markdown extension: each task's checkbox is named by the task's text.

pymdownx.tasklist's custom checkbox has no name of its own, and axe's label
rule asks for one: this gives it an `aria-label`.
"""

import html
import re

from markdown import Extension, Markdown
from markdown.postprocessors import Postprocessor

# pymdownx.tasklist's custom checkbox, then the item's text.
TASK = re.compile(
    r'(<label class="task-list-control"><input type="checkbox" disabled)'
    r'((?: checked)?/><span class="task-list-indicator"></span></label>)'
    r"(.*?)(?=</?p>|</li>|<ul|<ol)",
    re.DOTALL,
)
TAG = re.compile(r"<[^>]+>")


class TaskLabels(Postprocessor):
    """Name each task's checkbox by its text (axe's label rule)."""

    def run(self, text: str) -> str:
        def named(task: re.Match[str]) -> str:
            label = html.escape(html.unescape(TAG.sub("", task[3])).strip())
            return f'{task[1]} aria-label="{label}"{task[2]}{task[3]}'

        return TASK.sub(named, text)


class TaskLabelsExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:
        # On the finished HTML: after the stashed checkboxes are back (30) and
        # the ampersands too (20).
        md.postprocessors.register(TaskLabels(md), "task_labels", 10)


def makeExtension(**kwargs: object) -> TaskLabelsExtension:
    return TaskLabelsExtension(**kwargs)
