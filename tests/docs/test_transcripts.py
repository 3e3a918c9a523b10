"""Every transcript in the docs is what running it prints: shell sessions (``.. code-block:: console``) and
Python sessions (``.. code-block:: pycon``) in docs/**/*.rst are run against the emulator and compared.

How a ``console`` block runs: its ``$ `` lines (a trailing ``\\`` continues a command) run one after the
other in one bash session, stdout and stderr together, with

- ``AIRFLOW_CONN_PIXVERSE_DEFAULT`` pointing at a fresh emulator whose API key is ``emulator-key``, and ``B``
  holding that emulator's base URL (the docs write ``B=http://127.0.0.1:8787``);
- a fresh ``AIRFLOW_HOME`` and working directory, this checkout first on ``PYTHONPATH``;
- the venv's ``bin`` first on PATH, and before it every console script that pyproject.toml declares
  (so a script added there is run as the installed one would be, before the venv is reinstalled).

A ``pycon`` block runs with doctest in this process, against the same kind of emulator and connection; the
blocks of one page are one Python session (a block sees the names the page's earlier blocks defined).

Normalisation, applied to both the documented and the real output before comparing them:

1. whitespace is ignored (spaces, line breaks, blank lines), so a long line may wrap anywhere;
2. numbers of 12 or more digits (video, image, media and template ids) become ``<id>``;
3. ISO-8601 and Unix times become ``<time>``; UUIDs and 32-digit hex trace ids become ``<uuid>``;
4. ``127.0.0.1:<port>`` hides the port;
5. ``...`` in the documented output stands for any text;
6. on Airflow older than 3.3, Airflow's own log records and Python warnings are dropped from the real output
   (3.1 prints a few whenever its command line starts); on 3.3 the output is compared as it is.
"""

from __future__ import annotations

import doctest
import importlib.metadata
import os
import re
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from pixverse_provider.emulator import EmulatorConfig, EmulatorServer

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
EMULATOR_KEY = "emulator-key"
NOT_YET_TRUE: dict[str, str] = {}
"""Transcripts known to differ from a real run: xfail(strict), so the test fails once one is fixed."""


@dataclass(frozen=True)
class Block:
    path: Path
    line: int
    language: str
    text: str

    @property
    def name(self) -> str:
        return f"{self.path.relative_to(DOCS)}:{self.line}"


def transcript_blocks(root: Path = DOCS) -> list[Block]:
    """Every ``console`` and ``pycon`` code block under ``root``, dedented."""
    blocks = []
    for path in sorted(root.rglob("*.rst")):
        if "_build" in path.parts:
            continue
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            found = re.match(r"(\s*)\.\. code-block:: (console|pycon)\s*$", line)
            if found:
                body = _directive_body(lines, number, len(found.group(1)))
                blocks.append(Block(path, number + 1, found.group(2), body))
    return blocks


def _directive_body(lines: list[str], start: int, indent: int) -> str:
    body: list[str] = []
    for line in lines[start + 1 :]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        body.append(line)
    while body and (not body[0].strip() or body[0].strip().startswith(":")):  # blank lines and options
        body.pop(0)
    width = min(len(line) - len(line.lstrip()) for line in body if line.strip())
    return "\n".join(line[width:] for line in body).strip("\n") + "\n"


def console_steps(text: str) -> list[tuple[str, str]]:
    """``[(command, documented output)]`` of a console transcript."""
    steps: list[tuple[str, list[str]]] = []
    continued = False
    for line in text.splitlines():
        if continued:
            steps[-1] = (f"{steps[-1][0]}\n{line}", steps[-1][1])
        elif line.startswith("$ "):
            steps.append((line[2:], []))
        elif steps:
            steps[-1][1].append(line)
            continue
        continued = line.endswith("\\")
    return [(command, "\n".join(output)) for command, output in steps]


_VOLATILE = [
    (re.compile(r"\b\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\b1\d{9}\.\d+\b"), "<time>"),
    (re.compile(r"\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b|\b[0-9a-f]{32}\b"), "<uuid>"),
    (re.compile(r"\b\d{12,}\b"), "<id>"),
    (re.compile(r"127\.0\.0\.1:\d+"), "127.0.0.1:<port>"),
]


AIRFLOW_STARTUP_NOISE = re.compile(r"^(\S+ \[\s*\w+\s*\] .*|\S+\.py:\d+ \w*Warning: .*)\n?", flags=re.M)
"""A log record (``2026-01-01T00:00:00Z [info     ] setup plugin ...``) or a warning (``x.py:95 ...Warning: ...``)."""
OLD_AIRFLOW = tuple(int(n) for n in importlib.metadata.version("apache-airflow").split(".")[:2]) < (3, 3)


def normalise(text: str) -> str:
    for pattern, placeholder in _VOLATILE:
        text = pattern.sub(placeholder, text)
    return "".join(text.split())


def matches(documented: str, actual: str) -> bool:
    expected = normalise(documented)
    pattern = ".*?".join(re.escape(part) for part in expected.split("..."))
    return re.fullmatch(pattern, normalise(actual), flags=re.S) is not None


# --- running ---------------------------------------------------------------------------------------------------


@pytest.fixture
def emulator() -> Iterator[EmulatorServer]:
    with EmulatorServer(EmulatorConfig(api_keys=(EMULATOR_KEY,))) as server:
        yield server


def connection(emulator: EmulatorServer) -> str:
    return f'{{"conn_type": "pixverse", "host": "{emulator.base_url}", "password": "{EMULATOR_KEY}"}}'


def declared_scripts(bin_dir: Path) -> Path:
    """Console scripts of pyproject.toml as executables in ``bin_dir``, run by this Python."""
    text = (ROOT / "pyproject.toml").read_text()
    section = text.split("[project.scripts]", 1)[1].split("\n[", 1)[0]
    bin_dir.mkdir()
    for name, module, function in re.findall(r'^([\w-]+)\s*=\s*"([\w.]+):(\w+)"', section, flags=re.M):
        script = bin_dir / name
        script.write_text(f"#!{sys.executable}\nimport sys\nfrom {module} import {function}\nsys.exit({function}())\n")
        script.chmod(0o755)
    return bin_dir


def run_console(block: Block, emulator: EmulatorServer, tmp_path: Path) -> list[tuple[str, str, str]]:
    """``[(command, documented, actual)]``: the block's commands run in one bash session."""
    steps = console_steps(block.text)
    marker = f"--- {uuid.uuid4().hex} ---"
    script = "exec 2>&1\n" + "".join(f"echo '{marker}'\n{command}\n" for command, _ in steps)
    scripts = declared_scripts(tmp_path / "bin")
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("AIRFLOW", "PIXVERSE"))}
    env |= {
        "PATH": os.pathsep.join([str(scripts), str(Path(sys.executable).parent), os.environ.get("PATH", "")]),
        "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
        "AIRFLOW_HOME": str(tmp_path / "airflow"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW_CONN_PIXVERSE_DEFAULT": connection(emulator),
        "B": emulator.base_url,
    }
    done = subprocess.run(["bash", "-c", script], env=env, cwd=workdir, capture_output=True, text=True, timeout=300)
    outputs = done.stdout.split(marker + "\n")[1:]
    assert len(outputs) == len(steps), f"the session stopped early:\n{done.stdout}"
    if OLD_AIRFLOW:
        outputs = [AIRFLOW_STARTUP_NOISE.sub("", output) for output in outputs]
    return [(command, documented, actual) for (command, documented), actual in zip(steps, outputs, strict=True)]


def run_pycon(block: Block) -> str:
    """doctest's report of the block's failures ("" when every example printed what the page shows).

    A page is one Python session: the page's earlier ``pycon`` blocks run first (unchecked), in its namespace.
    """
    earlier = [b for b in BLOCKS if b.path == block.path and b.language == "pycon" and b.line < block.line]
    namespace: dict[str, object] = {}
    report: list[str] = []
    for current in [*earlier, block]:
        parser = doctest.DocTestParser()
        test = parser.get_doctest(current.text, namespace, current.name, str(current.path), current.line)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, out=report.append if current is block else lambda _: None, clear_globs=False)
        namespace = test.globs
    return "".join(report)


BLOCKS = transcript_blocks()


def test_the_docs_have_transcripts() -> None:
    """A guard against a parser that finds nothing, which would make the test below pass vacuously."""
    names = {block.name.split(":")[0] for block in BLOCKS}
    assert {"getting-started.rst", "catalogues.rst"} <= names


@pytest.mark.parametrize(
    "block",
    [
        pytest.param(block, marks=pytest.mark.xfail(reason=NOT_YET_TRUE[block.name], strict=True))
        if block.name in NOT_YET_TRUE
        else block
        for block in BLOCKS
    ],
    ids=lambda block: block.name,
)
def test_transcript_is_what_running_it_prints(
    block: Block, emulator: EmulatorServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    if block.language == "pycon":
        monkeypatch.setenv("AIRFLOW_CONN_PIXVERSE_DEFAULT", connection(emulator))
        report = run_pycon(block)
        assert report == "", f"{block.name} differs from a real run:\n{report}"
        return
    for command, documented, actual in run_console(block, emulator, tmp_path):
        assert matches(documented, actual), (
            f"{block.name}: `{command}` printed\n{actual}\nbut the page shows\n{documented}\n"
            f"(normalised: {normalise(actual)!r} vs {normalise(documented)!r})"
        )
