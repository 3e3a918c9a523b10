"""Whether a host or URL is on this machine (loopback), decided in one place for the hooks and the emulator.

The hooks let the API key travel over plain http only to loopback; the emulator fetches ``image_url`` and
``file_url`` only from loopback and warns when it listens anywhere else. It lives in ``api/`` because that is
the layer both already import and that never imports Airflow; it uses the standard library only, so it pulls
in neither Airflow nor an HTTP client.

Loopback means ``localhost`` (by name: no DNS is asked), 127.0.0.0/8 and ``::1``; an IPv6 address may be
written in brackets, as in a URL.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

__all__ = ["is_loopback", "is_loopback_url"]


def is_loopback(host: str) -> bool:
    """Whether ``host`` (a name or an IP address, IPv6 with or without brackets) is loopback."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def is_loopback_url(url: str) -> bool:
    """Whether ``url`` is an http(s) URL whose host is loopback."""
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(host) and is_loopback(host or "")
