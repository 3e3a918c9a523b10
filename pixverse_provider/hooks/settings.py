"""What a ``pixverse`` Airflow connection says, read and checked once, when a hook first needs it.

The API key lives in ``ApiKey``, whose repr and str never show it, so it cannot leak through a log line,
an exception message or a rendered object by accident.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from pixverse_provider.api import DEFAULT_BASE_URL
from pixverse_provider.api.loopback import is_loopback
from pixverse_provider.exceptions import PixVerseConfigurationError
from pixverse_provider.get_provider_info import connection_form

if TYPE_CHECKING:
    from airflow.sdk import Connection

DEFAULT_CONN_ID = "pixverse_default"
DEFAULT_REQUEST_TIMEOUT = 60.0
DEFAULT_CONNECT_TIMEOUT = 10.0
DEFAULT_MAX_RETRIES = 5
KNOWN_EXTRAS = tuple(connection_form()["conn-fields"])
"""Names of the connection extras the hooks read, the form's fields (each also read as ``extra__pixverse__<name>``)."""
OLD_EXTRA_PREFIX = "extra__pixverse__"

log = logging.getLogger(__name__)


class ApiKey:
    """The PixVerse API key. Only ``reveal()`` gives the value; everything else shows ``***``."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "ApiKey('***')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ApiKey) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("ApiKey is not serialisable: pass the connection id instead")


@dataclass(frozen=True)
class ConnectionSettings:
    """Everything a hook needs from the connection."""

    conn_id: str
    base_url: str
    api_key: ApiKey
    request_timeout: float = DEFAULT_REQUEST_TIMEOUT
    connect_timeout: float = DEFAULT_CONNECT_TIMEOUT
    max_retries: int = DEFAULT_MAX_RETRIES
    allow_insecure_http: bool = False

    @classmethod
    def from_connection(cls, conn: Connection) -> ConnectionSettings:
        """Read and check a connection; a problem names the connection id and the field at fault.

        An extra the hooks do not know (a typo such as ``max_retry``) is logged as a warning, by name only.
        """
        conn_id = conn.conn_id
        if not conn.password:
            raise PixVerseConfigurationError(
                f"Connection '{conn_id}': the API key is missing; put it in the password field"
            )
        extra = conn.extra_dejson or {}
        _warn_about_unknown_extras(conn_id, extra)
        allow_insecure_http = _flag(conn_id, extra, "allow_insecure_http")
        return cls(
            conn_id=conn_id,
            base_url=_base_url(conn_id, conn.host, conn.port, allow_insecure_http=allow_insecure_http),
            api_key=ApiKey(conn.password),
            request_timeout=_number(conn_id, extra, "request_timeout", DEFAULT_REQUEST_TIMEOUT),
            connect_timeout=_number(conn_id, extra, "connect_timeout", DEFAULT_CONNECT_TIMEOUT),
            max_retries=int(_number(conn_id, extra, "max_retries", DEFAULT_MAX_RETRIES, minimum=0, whole=True)),
            allow_insecure_http=allow_insecure_http,
        )

    @property
    def timeout(self) -> tuple[float, float]:
        """(connect, read) as requests and httpx take them."""
        return (self.connect_timeout, self.request_timeout)


def _base_url(conn_id: str, host: str | None, port: int | None, *, allow_insecure_http: bool = False) -> str:
    """The API base URL from the host field: a full URL, a bare host name (https), or empty (the default).

    Plain http is refused to a host that is not loopback, since the API key would travel in clear text,
    unless the connection says ``allow_insecure_http`` (a private network such as docker-compose's).
    """
    if not host:
        return DEFAULT_BASE_URL
    url = host if "://" in host else f"https://{host}"
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise PixVerseConfigurationError(
            f"Connection '{conn_id}': the host (Base URL) must be an http(s) URL such as {DEFAULT_BASE_URL}, "
            f"got scheme '{parts.scheme}'"
        )
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        if not allow_insecure_http:
            raise PixVerseConfigurationError(
                f"Connection '{conn_id}': the host (Base URL) uses plain http to {parts.hostname}; "
                "the API key must travel over https (plain http is allowed only to loopback, e.g. the emulator, "
                "or with the extra allow_insecure_http set to true, for a private network)"
            )
        log.warning(
            "Connection '%s' sends the API key over plain http to %s (allow_insecure_http is true)",
            conn_id,
            parts.hostname,
        )
    if port and not parts.port:
        url = f"{parts.scheme}://{parts.hostname}:{port}{parts.path}"
    return url.rstrip("/")


def _warn_about_unknown_extras(conn_id: str, extra: dict[str, Any]) -> None:
    """Log the names (never the values: an extra may hold a secret) of extras no hook reads."""
    unknown = sorted(name for name in extra if name.removeprefix(OLD_EXTRA_PREFIX) not in KNOWN_EXTRAS)
    if unknown:
        log.warning(
            "Connection '%s': unknown extra(s) %s ignored; the known extras are %s",
            conn_id,
            ", ".join(map(repr, unknown)),
            ", ".join(KNOWN_EXTRAS),
        )


def _flag(conn_id: str, extra: dict[str, Any], name: str) -> bool:
    """A true/false extra (default false); also accepts the text a URI or a form gives ("true", "0"...)."""
    value = extra.get(name, extra.get(f"{OLD_EXTRA_PREFIX}{name}"))
    if value in (None, ""):
        return False
    if isinstance(value, bool):
        return value
    text = str(value).strip().lower()
    if text in ("true", "1", "yes", "on"):
        return True
    if text in ("false", "0", "no", "off"):
        return False
    raise PixVerseConfigurationError(f"Connection '{conn_id}': extra '{name}' must be true or false, got {value!r}")


def _number(
    conn_id: str, extra: dict[str, Any], name: str, default: float, *, minimum: float = 0, whole: bool = False
) -> float:
    """An extra as a number; also accepts Airflow's old ``extra__pixverse__<name>`` spelling."""
    value = extra.get(name, extra.get(f"{OLD_EXTRA_PREFIX}{name}"))
    if value in (None, ""):
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        number = float("nan")
    bad_minimum = number < minimum if whole else number <= minimum
    if number != number or bad_minimum or (whole and not number.is_integer()):
        kind = "a whole number ≥ 0" if whole else "a number > 0"
        raise PixVerseConfigurationError(f"Connection '{conn_id}': extra '{name}' must be {kind}, got {value!r}")
    return number
