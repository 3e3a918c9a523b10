"""``pixverse-catalog`` and the ``all_*`` catalogue helpers against the emulator over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pixverse_provider.api import TemplateType
from pixverse_provider.emulator import EmulatorServer
from pixverse_provider.emulator import catalog as emulated
from pixverse_provider.hooks import PixVerseHook, catalog
from tests.integration.conftest import API_KEY, connection_json

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, list[str], str]:
    status = catalog.main(list(argv))
    out, err = capsys.readouterr()
    assert API_KEY not in out + err
    return status, out.splitlines(), err


def test_the_console_script_is_declared() -> None:
    tomllib = pytest.importorskip("tomllib")  # Python 3.11+
    scripts = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["scripts"]
    module, _, function = scripts["pixverse-catalog"].partition(":")
    assert (module, function) == ("pixverse_provider.hooks.catalog", "main")


def test_speakers_lists_every_voice_with_its_id(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, err = run(capsys, "speakers")

    assert (status, err) == (0, "")
    assert lines[0].split() == ["speaker_id", "name"]
    assert [line.split(maxsplit=1) for line in lines[1:-1]] == [[s.speaker_id, s.name] for s in emulated.SPEAKERS]
    assert lines[-1] == f"{len(emulated.SPEAKERS)} speakers"


def test_templates_lists_ids_names_and_prompts_and_filters_by_type(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, "templates")
    assert status == 0
    ids = [int(line.split()[0]) for line in lines[1:-1]]
    assert ids == [t.template_id for t in emulated.TEMPLATES]
    assert any(line.startswith("313358700761536  Anything, Robot ") for line in lines)

    status, lines, _ = run(capsys, "templates", "--type", "image")
    images = [t for t in emulated.TEMPLATES if t.template_type == TemplateType.IMAGE]
    assert status == 0
    assert [int(line.split()[0]) for line in lines[1:-1]] == [t.template_id for t in images]
    assert lines[-1] == ("1 template" if len(images) == 1 else f"{len(images)} templates")


def test_restyles_as_json_lines_keep_what_pixverse_sends(capsys: pytest.CaptureFixture[str]) -> None:
    status, lines, _ = run(capsys, "restyles", "--json")

    assert status == 0
    assert [json.loads(line) for line in lines] == [r.to_json() for r in emulated.RESTYLES]


def test_conn_id_selects_the_connection(
    capsys: pytest.CaptureFixture[str], emulator: EmulatorServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_EMULATED", connection_json(emulator.base_url))
    monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection_json(emulator.base_url, api_key="pv-wrong-key"))

    assert run(capsys, "speakers", "--conn-id", "pixverse_emulated")[0] == 0
    status, lines, err = run(capsys, "speakers")
    assert (status, lines) == (1, [])
    assert err.startswith("pixverse-catalog: error: ") and len(err.splitlines()) == 1
    assert "pv-wrong-key" not in err


def test_a_missing_connection_or_a_bad_argument_is_one_line(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = run(capsys, "speakers", "--conn-id", "no_such_connection")
    assert status == 1
    assert err.splitlines() == [err.strip()] and "no_such_connection" in err

    status, _, err = run(capsys, "voices")
    assert status == 2
    assert err.startswith("pixverse-catalog: error: ") and "speakers" in err and len(err.splitlines()) == 1


def test_the_helpers_read_every_page(monkeypatch: pytest.MonkeyPatch) -> None:
    hook = PixVerseHook()
    templates = catalog.all_effect_templates(hook, TemplateType.VIDEO)  # pages of 10, 20, 50 or 100 only
    monkeypatch.setattr(catalog, "PAGE_SIZE", 4)

    speakers = catalog.all_tts_speakers(hook)
    restyles = catalog.all_restyles(hook)

    assert [s.speaker_id for s in speakers] == [s.speaker_id for s in emulated.SPEAKERS]
    assert [r.restyle_id for r in restyles] == [r.restyle_id for r in emulated.RESTYLES]
    video = TemplateType.VIDEO
    assert [t.template_id for t in templates] == [t.template_id for t in emulated.TEMPLATES if t.template_type == video]
