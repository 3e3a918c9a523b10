"""What a DAG file's parse loads: the operators and the sensor, not the request, response and price models.

The dag-processor parses DAG files over and over; the models are needed only where a task runs (validate,
estimate, read a record), so they load on first use (bench/RESULTS.md, section 2).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
MODELS = ("pixverse_provider.api.request_models", "pixverse_provider.api.responses", "pixverse_provider.api.pricing")


def loaded_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint(' '.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=ROOT, timeout=120
    )
    return set(result.stdout.split())


def test_importing_the_operators_and_the_sensor_loads_no_model() -> None:
    modules = loaded_after("import pixverse_provider.operators, pixverse_provider.sensors")
    assert "pixverse_provider.operators.base" in modules
    assert {m for m in modules if m.startswith(MODELS)} == set()


def test_the_lazy_names_of_the_api_package_load_on_first_use() -> None:
    code = (
        "from pixverse_provider.api import GENERATION_REQUESTS, CreationMode, estimate_credits\n"
        "from pixverse_provider.api.request_models import TextToVideoRequest\n"
        "assert GENERATION_REQUESTS[CreationMode.TEXT_TO_VIDEO] is TextToVideoRequest\n"
        "assert callable(estimate_credits)\n"
    )
    assert {"pixverse_provider.api.request_models", "pixverse_provider.api.pricing"} <= loaded_after(code)
