"""Formatting shared by the RESULTS.md sections, and the targets the figures are judged against."""

from __future__ import annotations

from typing import Any

import benchutil as bu

TARGET_CPU_VS_FLOOR = 1.5
TARGET_CPU_VS_NAIVE = 0.5
TARGET_KB_PER_TRIGGER = 64.0
TARGET_LAG_P99_MS = 100.0
TARGET_PARSE_RATIO = 1.10
TARGET_DOWNLOAD_VS_CURL = 0.7
TARGET_GROWTH_MB = 64.0


def fmt(value: float | None, digits: int = 2) -> str:
    if value is None or value != value:
        return "n/a"
    return f"{value:,.{digits}f}"


def verdict(ok: bool) -> str:
    return "**PASS**" if ok else "**FAIL**"


def med(rows: list[dict[str, Any]], key: str) -> float:
    return bu.median([r[key] for r in rows if r.get(key) is not None])


def table(header: list[str], rows: list[list[str]]) -> str:
    lines = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return "\n".join(lines)
