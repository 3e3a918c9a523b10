"""RESULTS.md from the figures ``run.py`` gathered (``render``); each section has its own module."""

from __future__ import annotations

from typing import Any

from report_common import table
from report_e2e import e2e_section
from report_load import load_section
from report_parse_transfers import parse_section, transfer_section
from report_triggers import trigger_section

TITLES = {"triggers": "1. Triggerer at scale", "parse": "2. DAG-parse cost", "transfers": "3. Streaming transfers"}


def _triggers(figures: dict[str, Any]) -> tuple[str, list[list[str]]]:
    parts, summary = [], []
    main = figures.get("triggers")
    if main:
        text, rows = trigger_section(main, figures.get("client_cost"))
        parts.append(text)
        summary += rows
    else:
        parts.append("## 1. Triggerer at scale\n\nThe comparison of variants was not measured.\n")
    text, rows = load_section(figures, main)
    parts.append(text)
    return "\n".join(parts), summary + rows


def render(data: dict[str, Any]) -> str:
    sections: list[str] = []
    summary: list[list[str]] = []
    renderers = {
        "triggers": _triggers,
        "parse": parse_section,
        "transfers": lambda d: transfer_section(d, data["machine"].get("l2 cache", "?")),
    }
    errors = data.get("errors", {})
    for key, title in TITLES.items():
        if key in data:
            text, rows = renderers[key](data[key])
            if key in errors:
                text = text.replace("\n", f"\n\n**Not fully measured:** {errors[key]}; what was measured follows.\n", 1)
                summary.append([title, "—", f"partly measured ({errors[key]})", "**ERROR**"])
            sections.append(text)
            summary.extend(rows)
        elif key in errors:
            sections.append(f"## {title}: could not be measured\n\n```\n{errors[key][-3000:]}\n```\n")
            summary.append([title, "—", "not measured (error; see its section)", "**ERROR**"])
    if "e2e" in data or "e2e" in errors:
        text, rows = e2e_section(data.get("e2e"), errors.get("e2e"))
        sections.append(text)
        summary.extend(rows)
    head = [
        "# Benchmarks",
        "",
        "Written by `make bench` (`.venv/bin/python bench/run.py`); rerun it to refresh, do not edit by hand "
        "(the same figures, machine-readable, are in `RESULTS.json`; sections other benchmarks append below "
        "section 4 are kept). No figure here is a timed test. Comparisons ran side by side in one run on the "
        "machine below; figures are medians, raw figures follow each section."
        + (" **QUICK RUN: sizes reduced, not comparable.**" if data["quick"] else ""),
        "",
        f"- **Date**: {data['date']}; the run took {data['elapsed_s'] / 60:.1f} min"
        + (f" (budget {data['budget_min']:g} min)" if data.get("budget_min") else ""),
    ]
    head += [f"- **{k}**: {v}" for k, v in data["machine"].items()]
    head += ["", "## Summary", "", table(["benchmark", "target", "measured", "result"], summary), ""]
    return "\n".join(head + sections)
