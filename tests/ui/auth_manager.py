"""A real auth manager for the per-DAG permission tests: Airflow's SimpleAuthManager, where the user
``fox_viewer`` may read only the DAG ``ui_fox``. Configured through ``[core] auth_manager``, the extension point
a deployment uses for its own rules."""

from __future__ import annotations

from typing import Any

from airflow.api_fastapi.auth.managers.simple.simple_auth_manager import SimpleAuthManager

LIMITED_USER = "fox_viewer"
LIMITED_DAG = "ui_fox"


class OneDagAuthManager(SimpleAuthManager):
    def is_authorized_dag(self, *, method: Any, user: Any, access_entity: Any = None, details: Any = None) -> bool:
        if user.get_name() == LIMITED_USER and details is not None and details.id not in (None, LIMITED_DAG):
            return False
        return super().is_authorized_dag(method=method, user=user, access_entity=access_entity, details=details)
