"""DAGs whose videos the UI tests look at: a submit + sensor pair that lands the file, a mapped operator, a
prompt that is HTML, and a DAG only the admin may read. Waits poll in the worker (no triggerer hand-over), so
the runs stay short on a busy machine."""

from __future__ import annotations

import os

from airflow.sdk import DAG

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

OUTPUT = os.environ.get("PIXVERSE_OUTPUT_DIR", "/tmp/pixverse-videos") + "/"
XSS_PROMPT = "<img src=x onerror=alert(1)> a cat <b>dancing</b>"
SHAPE = {"model": "v5", "duration": 5, "quality": "360p", "aspect_ratio": "16:9"}
WAIT = {"wait_for_completion": True, "deferrable": False, "poll_interval": 1, "output_path": OUTPUT}

with DAG("ui_fox", schedule=None, catchup=False, tags=["pixverse-ui-test"]):
    fox = PixVerseTextToVideoOperator(task_id="fox", prompt="A red fox running through fresh snow", **SHAPE)
    PixVerseVideoSensor(
        task_id="fox_ready", video_id=fox.output, mode="poke", poke_interval=1, output_path=OUTPUT, timeout=600
    )

with DAG("ui_mapped", schedule=None, catchup=False, tags=["pixverse-ui-test"]):
    PixVerseTextToVideoOperator.partial(task_id="clips", **SHAPE, **WAIT).expand(
        prompt=["A lighthouse in a storm", "A paper boat on a pond"]
    )

with DAG("ui_escaped", schedule=None, catchup=False, tags=["pixverse-ui-test"]):
    PixVerseTextToVideoOperator(task_id="html_prompt", prompt=XSS_PROMPT, **SHAPE, **WAIT)

with DAG("ui_private", schedule=None, catchup=False, tags=["pixverse-ui-test"]):
    PixVerseTextToVideoOperator(task_id="secret_clip", prompt="Only the admin sees this clip", **SHAPE, **WAIT)

with DAG("ui_failed", schedule=None, catchup=False, tags=["pixverse-ui-test"]):
    PixVerseTextToVideoOperator(  # the emulator fails this video (PixVerse status 8)
        task_id="doomed_clip", prompt="A clip that fails [emulate:failure]", retries=0, **SHAPE, **WAIT
    )
