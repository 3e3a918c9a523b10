"""The Airflow plugin that adds the PixVerse view: a FastAPI app at ``/pixverse``, a "PixVerse" entry in the
navigation and a "PixVerse video" tab on every task instance (mapped ones included).

Registered twice on purpose, and loaded once. Airflow reads a provider's ``plugins`` entry only when
``[core] lazy_discover_providers`` is ``False`` (the default is ``True``), so the package also declares the
``airflow.plugins`` entry point ``pixverse_provider.ui.plugin:ENTRY_POINT``: that is the plugin class under the
default, and ``None`` (which Airflow skips without a word) when the provider entry will load it, so the plugin
is never registered twice. ``[pixverse] ui_enabled = False`` (``AIRFLOW__PIXVERSE__UI_ENABLED=False``) keeps
the plugin but gives it nothing to add: no app, no route, no tab.

Cheap to import (the scheduler and workers load plugins too): the app is built on its first request.
"""

from __future__ import annotations

from typing import Any

from airflow.plugins_manager import AirflowPlugin

from pixverse_provider._compat import conf

URL_PREFIX = "/pixverse"
NAV_ROUTE = "pixverse"
TASK_TAB_ROUTE = "pixverse-video"
"""The tab's address in Airflow's UI: ``/dags/{dag_id}/runs/{run_id}/tasks/{task_id}/plugin/pixverse-video``
(mapped: ``.../tasks/{task_id}/mapped/{map_index}/plugin/pixverse-video``)."""


def ui_enabled() -> bool:
    return conf.getboolean("pixverse", "ui_enabled", fallback=True)


class LazyApp:
    """An ASGI app that builds the view's FastAPI app on its first request."""

    def __init__(self) -> None:
        self._app: Any = None

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if self._app is None:
            from pixverse_provider.ui.app import create_app

            self._app = create_app()
        await self._app(scope, receive, send)


def fastapi_apps() -> list[dict[str, Any]]:
    return [{"app": LazyApp(), "url_prefix": URL_PREFIX, "name": "PixVerse view"}]


def external_views() -> list[dict[str, Any]]:
    task = "dag_id={DAG_ID}&run_id={RUN_ID}&task_id={TASK_ID}&map_index={MAP_INDEX}"
    return [
        {
            "name": "PixVerse",
            "href": f"{URL_PREFIX}/",
            "icon": f"{URL_PREFIX}/static/pixverse.svg",
            "destination": "nav",
            "url_route": NAV_ROUTE,
        },
        {
            "name": "PixVerse video",
            "href": f"{URL_PREFIX}/task?{task}",
            "destination": "task_instance",
            "url_route": TASK_TAB_ROUTE,
        },
    ]


class PixVersePlugin(AirflowPlugin):
    """The PixVerse view; empty when ``[pixverse] ui_enabled`` is ``False``."""

    name = "pixverse"
    fastapi_apps = fastapi_apps() if ui_enabled() else []
    external_views = external_views() if ui_enabled() else []


def _entry_point() -> type[PixVersePlugin] | None:
    from airflow import settings

    return PixVersePlugin if settings.LAZY_LOAD_PROVIDERS else None


ENTRY_POINT = _entry_point()
"""What the ``airflow.plugins`` entry point loads: the plugin, unless the provider entry loads it."""
