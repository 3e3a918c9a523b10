"""The ``pixverse-retry-rules`` directive: the PixVerse retry policy's rule table, made from its code.

``pixverse_provider.retry_policy.RULES`` is what the policy decides; the page shows that table itself, so the
documentation cannot drift from the policy.
"""

from __future__ import annotations

from typing import Any

from docutils import nodes
from pixverse_docs import GeneratedDirective, list_table

_ACTIONS = {
    "retry": "**retry** after ``retry_delay``",
    "fail": "**fail** at once",
    "default": "the task's own ``retries`` and ``retry_delay``",
}


class RetryRulesDirective(GeneratedDirective):
    """The rules in order (the first match decides), each class linked to its reference entry."""

    def run(self) -> list[nodes.Node]:
        from pixverse_provider.retry_policy import RULES

        rows = [
            [
                "\n".join(f"| :class:`~{cls.__module__}.{cls.__qualname__}`" for cls in rule.exceptions),
                _ACTIONS[rule.action],
                rule.reason[0].upper() + rule.reason[1:] + ".",
            ]
            for rule in RULES
        ]
        return self.parse(list_table(["Exception", "Decision", "Why"], rows, widths="30 20 50"))


def setup(app: Any) -> dict[str, Any]:
    app.add_directive("pixverse-retry-rules", RetryRulesDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
