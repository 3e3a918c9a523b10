"""`make airflow`: Airflow standalone (api-server, scheduler, dag-processor, triggerer) with the PixVerse
emulator and the example DAGs, for a user who wants to click around. Ctrl-C stops everything."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from pixverse_provider.emulator.config import DEFAULT_API_KEY

ROOT = Path(__file__).resolve().parent.parent
HOME = ROOT / ".demo" / "standalone"
EMULATOR_PORT = 8787
UI_PORT = int(os.environ.get("AIRFLOW_PORT", "8080"))


def main() -> int:
    HOME.mkdir(parents=True, exist_ok=True)
    base_url = f"http://127.0.0.1:{EMULATOR_PORT}"
    env = {
        **os.environ,
        "AIRFLOW_HOME": str(HOME),
        "AIRFLOW__CORE__DAGS_FOLDER": str(ROOT / "example_dags"),
        "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
        "AIRFLOW__API__PORT": str(UI_PORT),
        # Local development only: every visitor of the UI is an admin, no password needed.
        "AIRFLOW__CORE__SIMPLE_AUTH_MANAGER_ALL_ADMINS": "True",
        "PIXVERSE_OUTPUT_DIR": str(ROOT / ".demo" / "videos"),
        "AIRFLOW_CONN_PIXVERSE_DEFAULT": json.dumps(
            {"conn_type": "pixverse", "host": base_url, "password": DEFAULT_API_KEY}
        ),
    }
    emulator = subprocess.Popen(
        [sys.executable, "-m", "pixverse_provider.emulator", "--port", str(EMULATOR_PORT), "--api-key", DEFAULT_API_KEY]
    )
    print(f"PixVerse emulator: {base_url}")
    print(f"Airflow UI: http://localhost:{UI_PORT}  (no login: local development mode, every user is an admin)")
    print(f"Example DAGs: {ROOT / 'example_dags'}; videos land in {ROOT / '.demo' / 'videos'}. Ctrl-C to stop.")
    try:
        return subprocess.call([sys.executable, "-m", "airflow", "standalone"], env=env)
    except KeyboardInterrupt:
        return 0
    finally:
        emulator.terminate()
        emulator.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
