"""``get_provider_info()`` as Airflow reads it: its JSON schemas, the entry point and ``airflow providers list``.

Tests that need the distribution installed (``make`` installs it in its venv) skip when it is not.
"""

from __future__ import annotations

import copy
import importlib.metadata
import importlib.resources
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from pixverse_provider import __version__
from pixverse_provider.get_provider_info import get_provider_info
from pixverse_provider.hooks.settings import KNOWN_EXTRAS

DISTRIBUTION = "airflow-provider-pixverse"
ENTRY_POINT_GROUP = "apache_airflow_provider"
REPO_ROOT = Path(__file__).resolve().parents[2]


def airflow_schema(name: str) -> dict[str, Any]:
    """One of the JSON schemas Airflow validates providers with, from the installed airflow package."""
    return json.loads((importlib.resources.files("airflow") / name).read_text(encoding="utf-8"))


def validator(name: str) -> jsonschema.protocols.Validator:
    schema = airflow_schema(name)
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def installed_distribution() -> importlib.metadata.Distribution:
    try:
        return importlib.metadata.distribution(DISTRIBUTION)
    except importlib.metadata.PackageNotFoundError:
        pytest.skip(f"{DISTRIBUTION} is not installed in this environment (the Makefile venv installs it)")


def pyproject() -> dict[str, Any]:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    return tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))


def connection_type() -> dict[str, Any]:
    (conn,) = get_provider_info()["connection-types"]
    return conn


def as_airflow_field_behaviour(behaviour: dict[str, Any]) -> dict[str, Any]:
    """What Airflow's ProvidersManager._add_customized_fields builds from ``ui-field-behaviour`` before validating."""
    return {
        "hidden_fields": behaviour.get("hidden-fields", []),
        "relabeling": behaviour.get("relabeling", {}),
        "placeholders": behaviour.get("placeholders", {}),
    }


# ---------------------------------------------------------------------------------------------------------
# Provider info


def test_provider_info_validates_against_airflows_schema() -> None:
    validator("provider_info.schema.json").validate(get_provider_info())


@pytest.mark.parametrize(
    "breakage",
    [
        pytest.param(lambda info: info.pop("name"), id="no-name"),
        pytest.param(lambda info: info["connection-types"][0].pop("hook-class-name"), id="no-hook-class"),
        pytest.param(lambda info: info.update(integrations="PixVerse"), id="integrations-not-a-list"),
    ],
)
def test_airflows_schema_would_catch_a_broken_provider_info(breakage: Any) -> None:
    info = copy.deepcopy(get_provider_info())
    breakage(info)
    assert not validator("provider_info.schema.json").is_valid(info)


def test_provider_info_identity() -> None:
    info = get_provider_info()
    assert info["package-name"] == DISTRIBUTION
    assert info["name"] == "PixVerse"
    assert info["versions"] == [__version__]
    assert [i["integration-name"] for i in info["integrations"]] == ["PixVerse"]


def test_documentation_url_is_the_docs_index() -> None:
    # No public documentation site exists yet: the URL is the user guide's index, relative to the repository.
    url = get_provider_info()["documentation-url"]
    assert url == "docs/index.rst"
    assert (REPO_ROOT / url).is_file()


def test_package_name_and_version_match_pyproject() -> None:
    project = pyproject()["project"]
    info = get_provider_info()
    assert info["package-name"] == project["name"]
    assert info["versions"] == [project["version"]]


def test_pyproject_declares_the_provider_entry_point() -> None:
    entry_points = pyproject()["project"]["entry-points"][ENTRY_POINT_GROUP]
    assert entry_points == {"provider_info": "pixverse_provider.get_provider_info:get_provider_info"}


def test_package_name_is_the_installed_distribution_name() -> None:
    dist = installed_distribution()
    assert get_provider_info()["package-name"] == dist.metadata["Name"]
    assert get_provider_info()["versions"] == [dist.version]


def test_entry_point_resolves_to_get_provider_info() -> None:
    installed_distribution()
    (entry_point,) = [
        ep
        for ep in importlib.metadata.entry_points(group=ENTRY_POINT_GROUP)
        if ep.dist is not None and ep.dist.metadata["Name"] == DISTRIBUTION
    ]
    loaded = entry_point.load()
    assert (loaded.__module__, loaded.__qualname__) == ("pixverse_provider.get_provider_info", "get_provider_info")
    assert loaded() == get_provider_info()


# ---------------------------------------------------------------------------------------------------------
# Connection type and its form


def test_connection_type_is_pixverse_with_its_hook() -> None:
    conn = connection_type()
    assert conn["connection-type"] == "pixverse"
    assert conn["hook-class-name"] == "pixverse_provider.hooks.pixverse.PixVerseHook"
    assert conn["hook-name"] == "PixVerse"


def test_ui_field_behaviour_validates_against_airflows_schema() -> None:
    behaviour = connection_type()["ui-field-behaviour"]
    # Airflow reads exactly these kebab-case keys; anything else would be dropped silently.
    assert set(behaviour) <= {"hidden-fields", "relabeling", "placeholders"}
    converted = as_airflow_field_behaviour(behaviour)
    validator("customized_form_field_behaviours.schema.json").validate(converted)
    assert converted["hidden_fields"] == ["schema", "login", "port", "extra"]
    assert converted["relabeling"] == {"host": "Base URL", "password": "API key"}
    assert converted["placeholders"]["host"] == "https://app-api.pixverse.ai"


def test_field_behaviour_schema_would_catch_a_broken_behaviour() -> None:
    converted = as_airflow_field_behaviour(connection_type()["ui-field-behaviour"])
    converted["hidden_fields"] = "schema"
    assert not validator("customized_form_field_behaviours.schema.json").is_valid(converted)


def test_relabeled_and_placeholder_fields_are_not_hidden() -> None:
    behaviour = connection_type()["ui-field-behaviour"]
    shown = set(behaviour["relabeling"]) | set(behaviour["placeholders"])
    assert shown.isdisjoint(behaviour["hidden-fields"])


CONN_FIELDS = ["request_timeout", "connect_timeout", "max_retries", "allow_insecure_http"]


def test_the_form_declares_every_extra_the_hooks_read() -> None:
    assert list(connection_type()["conn-fields"]) == CONN_FIELDS
    assert list(KNOWN_EXTRAS) == CONN_FIELDS


@pytest.mark.parametrize("name", CONN_FIELDS)
def test_conn_fields_carry_a_valid_json_schema_and_default(name: str) -> None:
    field = connection_type()["conn-fields"][name]
    assert field["label"]
    assert field["description"]
    schema = field["schema"]
    jsonschema.validators.validator_for(schema).check_schema(schema)
    jsonschema.validate(schema["default"], schema)
    jsonschema.validate(None, schema)  # empty in the form is allowed
    assert not jsonschema.validators.validator_for(schema)(schema).is_valid(-1)


# ---------------------------------------------------------------------------------------------------------
# A real Airflow


FORM_AS_THE_UI_GETS_IT = """
import json
from airflow.api_fastapi.core_api.services.ui.connections import HookMetaService

(meta,) = [m for m in HookMetaService.hook_meta_data() if m.connection_type == "pixverse"]
print(json.dumps(meta.extra_fields, default=str))
"""


def test_airflows_connection_form_shows_every_extra_with_its_description(tmp_path: Path) -> None:
    """What the UI's connection form receives: from conn-fields on Airflow 3.2+, from the hook's widgets on 3.1."""
    installed_distribution()
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = subprocess.run(
        [sys.executable, "-c", FORM_AS_THE_UI_GETS_IT],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    extra_fields = json.loads(result.stdout.strip().splitlines()[-1])
    declared = connection_type()["conn-fields"]
    assert list(extra_fields) == CONN_FIELDS
    for name, shown in extra_fields.items():
        assert shown["description"] == declared[name]["description"]
        assert shown["schema"]["title"] == declared[name]["label"]
    insecure = extra_fields["allow_insecure_http"]
    assert insecure["value"] is False and "boolean" in insecure["schema"]["type"]


def test_airflow_providers_list_shows_the_provider(tmp_path: Path) -> None:
    installed_distribution()
    env = {**os.environ, "AIRFLOW_HOME": str(tmp_path), "AIRFLOW__CORE__LOAD_EXAMPLES": "False"}
    result = subprocess.run(
        [sys.executable, "-m", "airflow", "providers", "list", "-o", "json"],
        cwd=REPO_ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    listing = next(json.loads(line) for line in reversed(result.stdout.splitlines()) if line.startswith("["))
    ours = [p for p in listing if p["package_name"] == DISTRIBUTION]
    assert ours == [
        {"package_name": DISTRIBUTION, "description": get_provider_info()["description"], "version": __version__}
    ]
