"""How the view is registered and turned off, without a deployment (the deployment tests load it for real)."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib.metadata import entry_points
from pathlib import Path

import pytest

from pixverse_provider.get_provider_info import get_provider_info
from pixverse_provider.ui.plugin import NAV_ROUTE, TASK_TAB_ROUTE, PixVersePlugin

ROOT = Path(__file__).resolve().parents[2]
ENTRY_POINTS_TXT = "[airflow.plugins]\npixverse = pixverse_provider.ui.plugin:ENTRY_POINT\n"


def test_the_provider_and_the_entry_point_both_name_the_plugin() -> None:
    assert get_provider_info()["plugins"] == [
        {"name": "pixverse", "plugin-class": "pixverse_provider.ui.plugin.PixVersePlugin"}
    ]
    project = (ROOT / "pyproject.toml").read_text()
    assert '[project.entry-points."airflow.plugins"]\npixverse = "pixverse_provider.ui.plugin:ENTRY_POINT"' in project


def test_the_plugin_adds_an_app_a_nav_entry_and_a_task_instance_tab() -> None:
    assert [app["url_prefix"] for app in PixVersePlugin.fastapi_apps] == ["/pixverse"]
    views = {view["url_route"]: view for view in PixVersePlugin.external_views}
    assert views[NAV_ROUTE]["destination"] == "nav"
    assert views[TASK_TAB_ROUTE]["destination"] == "task_instance"
    assert "{MAP_INDEX}" in views[TASK_TAB_ROUTE]["href"]


def plugin_in_a_fresh_process(**env: str) -> str:
    """``"<apps> <views> <entry point loads it>"`` as a new process with ``env`` sees them."""
    code = (
        "from pixverse_provider.ui import plugin as p;"
        "print(len(p.PixVersePlugin.fastapi_apps), len(p.PixVersePlugin.external_views), p.ENTRY_POINT is not None)"
    )
    answer = subprocess.run(
        [sys.executable, "-c", code], env={**os.environ, **env}, capture_output=True, text=True, check=True
    )
    return " ".join(answer.stdout.split()[-3:])


def test_the_entry_point_loads_the_plugin_only_when_the_provider_entry_will_not() -> None:
    assert plugin_in_a_fresh_process(AIRFLOW__CORE__LAZY_DISCOVER_PROVIDERS="True").endswith("True")
    assert plugin_in_a_fresh_process(AIRFLOW__CORE__LAZY_DISCOVER_PROVIDERS="False").endswith("False")


def test_ui_enabled_false_turns_the_view_off() -> None:
    assert plugin_in_a_fresh_process(AIRFLOW__PIXVERSE__UI_ENABLED="False").startswith("0 0")
    assert plugin_in_a_fresh_process(AIRFLOW__PIXVERSE__UI_ENABLED="True").startswith("1 2")


@pytest.mark.parametrize("lazy", ["True", "False"])
def test_airflow_registers_the_view_once_however_it_discovers_providers(lazy: str, tmp_path: Path) -> None:
    """Under Airflow's default the entry point brings the plugin; without lazy discovery the provider entry
    does, and the entry point stands down: one plugin, no import error, either way."""
    path = [str(ROOT)]
    if not any(e.name == "pixverse" for e in entry_points(group="airflow.plugins")):
        # This venv's editable install predates the entry point: stand in the metadata a reinstall writes.
        info = tmp_path / "pixverse_entry_point-0.0.dist-info"
        info.mkdir()
        (info / "METADATA").write_text("Metadata-Version: 2.1\nName: pixverse-entry-point\nVersion: 0.0\n")
        (info / "entry_points.txt").write_text(ENTRY_POINTS_TXT)
        path.append(str(tmp_path))
    code = (
        "from airflow import plugins_manager as m\n"
        "if hasattr(m, '_get_plugins'): p, e = m._get_plugins()  # Airflow 3.2+\n"
        "else: m.ensure_plugins_loaded(); p, e = m.plugins, m.import_errors\n"
        "print([x.name for x in p], e)"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(path), "AIRFLOW__CORE__LAZY_DISCOVER_PROVIDERS": lazy}
    answer = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert answer.stdout.splitlines()[-1] == "['pixverse'] {}"
