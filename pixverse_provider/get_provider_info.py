"""Provider metadata Airflow reads through the ``apache_airflow_provider`` entry point.

Connection form fields are declared here (``conn-fields``/``ui-field-behaviour``) so Airflow 3.2+ can draw the
PixVerse connection form without importing the hook.
"""

from __future__ import annotations

from typing import Any

from pixverse_provider import __version__

CONN_TYPE = "pixverse"
HOOK_CLASS = "pixverse_provider.hooks.pixverse.PixVerseHook"
DOCUMENTATION_URL = "docs/index.rst"
"""The user guide's index, relative to the repository: the project has no public documentation site yet.

Airflow replaces ``documentation-url`` with the distribution's ``Documentation`` Project-URL when it loads
the provider; give pyproject.toml a ``[project.urls] Documentation`` once the docs are published."""


def connection_form() -> dict[str, Any]:
    """The ``conn-fields`` and ``ui-field-behaviour`` of the ``pixverse`` connection type."""
    return {
        "conn-fields": {
            "request_timeout": {
                "label": "Request timeout (seconds)",
                "schema": {"type": ["number", "null"], "default": 60, "exclusiveMinimum": 0},
                "description": "Read timeout of one HTTP request.",
            },
            "connect_timeout": {
                "label": "Connect timeout (seconds)",
                "schema": {"type": ["number", "null"], "default": 10, "exclusiveMinimum": 0},
                "description": "How long to wait for the TCP (and TLS) connection to PixVerse to open.",
            },
            "max_retries": {
                "label": "Retries of read requests",
                "schema": {"type": ["integer", "null"], "default": 5, "minimum": 0},
                "description": "Generation requests are never retried, to avoid paying twice.",
            },
            "allow_insecure_http": {
                "label": "Allow plain http",
                "schema": {"type": ["boolean", "null"], "default": False},
                "description": (
                    "Allow an http:// Base URL to a host that is not loopback (e.g. an emulator service in "
                    "docker-compose). The API key then travels unencrypted: never use it across a network you "
                    "do not control."
                ),
            },
        },
        "ui-field-behaviour": {
            "hidden-fields": ["schema", "login", "port", "extra"],
            "relabeling": {"host": "Base URL", "password": "API key"},
            "placeholders": {"host": "https://app-api.pixverse.ai", "password": "PixVerse API key"},
        },
    }


def get_provider_info() -> dict[str, Any]:
    return {
        "package-name": "airflow-provider-pixverse",
        "name": "PixVerse",
        "description": "Generate videos with the PixVerse Platform API: https://platform.pixverse.ai/",
        "documentation-url": DOCUMENTATION_URL,
        "versions": [__version__],
        "integrations": [
            {
                "integration-name": "PixVerse",
                "external-doc-url": "https://docs.platform.pixverse.ai/",
                "tags": ["service"],
            }
        ],
        "operators": [
            {"integration-name": "PixVerse", "python-modules": ["pixverse_provider.operators"]},
        ],
        "sensors": [{"integration-name": "PixVerse", "python-modules": ["pixverse_provider.sensors"]}],
        "hooks": [{"integration-name": "PixVerse", "python-modules": ["pixverse_provider.hooks"]}],
        "triggers": [{"integration-name": "PixVerse", "python-modules": ["pixverse_provider.triggers"]}],
        "extra-links": ["pixverse_provider.links.PixVerseVideoLink"],
        "plugins": [{"name": "pixverse", "plugin-class": "pixverse_provider.ui.plugin.PixVersePlugin"}],
        "connection-types": [
            {
                "connection-type": CONN_TYPE,
                "hook-class-name": HOOK_CLASS,
                "hook-name": "PixVerse",
                **connection_form(),
            }
        ],
    }
