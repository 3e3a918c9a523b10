"""Who may see what: every route of the view asks Airflow's auth manager.

Airflow mounts a plugin's FastAPI app without any authentication of its own, so each route depends on
``viewer``: the JWT of the Airflow session (the UI's ``_token`` cookie, or an ``Authorization: Bearer``
header for API clients), checked by the configured auth manager exactly as Airflow's REST API checks it. No
token: 401; a bad one: 403. What a user sees is then limited to the DAGs the auth manager lets them read.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import HTTPException, Request, status

if TYPE_CHECKING:
    from airflow.api_fastapi.auth.managers.models.base_user import BaseUser

COOKIE = "_token"
"""Airflow's session cookie (``airflow.api_fastapi.auth.managers.base_auth_manager.COOKIE_NAME_JWT_TOKEN``)."""


def request_token(request: Request) -> str | None:
    """The bearer token when the request names one, else the UI session's cookie."""
    header = request.headers.get("authorization", "")
    scheme, _, credentials = header.partition(" ")
    if scheme.lower() == "bearer" and credentials.strip():
        return credentials.strip()
    return request.cookies.get(COOKIE)


async def viewer(request: Request) -> BaseUser:
    """The signed-in Airflow user; raises 401 (no token) or 403 (a token the auth manager refuses)."""
    from airflow.api_fastapi.core_api.security import resolve_user_from_token

    return await resolve_user_from_token(request_token(request))


def readable_dag_ids(user: BaseUser) -> set[str]:
    """The DAGs the auth manager lets ``user`` read."""
    from airflow.api_fastapi.app import get_auth_manager

    return set(get_auth_manager().get_authorized_dag_ids(user=user, method="GET"))


def require_readable(user: BaseUser, dag_id: str) -> None:
    """404 unless ``user`` may read ``dag_id``: a DAG one may not read is reported as absent, not forbidden,
    so the answer does not tell which DAG ids exist."""
    if dag_id not in readable_dag_ids(user):
        raise HTTPException(status.HTTP_404_NOT_FOUND, "no PixVerse video recorded for this task")
