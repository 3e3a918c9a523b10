"""DAGs for the results issue: landing videos, assets, the extra link, credit guards, the concurrency
limit and resuming a paid video on retry. Paths and limits come from DAG params, set by each test."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG, Asset, AssetAlias

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.sensors import PixVerseVideoSensor

FOX = "A red fox running through fresh snow"
VIDEOS = Asset("pixverse://videos/fox")
NEW_VIDEOS = AssetAlias("pixverse-new-videos")
DAGS: dict[str, DAG] = {}


def dag(dag_id: str, **params: object) -> DAG:
    DAGS[dag_id] = DAG(dag_id, schedule=None, params=params, catchup=False)
    return DAGS[dag_id]


with dag("land_local", output_path="/tmp/unused/"):
    PixVerseTextToVideoOperator(
        task_id="fox", prompt=FOX, wait_for_completion=True, deferrable=True, poll_interval=1,
        output_path="{{ params.output_path }}", outlets=[VIDEOS, NEW_VIDEOS],
    )  # fmt: skip

with dag("land_object_store", output_path="memory://videos/run/"):
    fox = PixVerseTextToVideoOperator(task_id="fox", prompt=FOX)
    PixVerseVideoSensor(
        task_id="ready", video_id=fox.output, deferrable=True, poll_interval=1, output_path="{{ params.output_path }}"
    )

with dag("over_budget"):
    PixVerseTextToVideoOperator(task_id="fox", prompt=FOX, quality="720p", duration=8, max_credits=100)

with dag("balance_check"):
    PixVerseTextToVideoOperator(task_id="fox", prompt=FOX, check_balance=True)

for deferrable in (True, False):
    with dag(f"mapped_{'deferrable' if deferrable else 'polling'}"):
        PixVerseTextToVideoOperator.partial(
            task_id="fox", concurrency_retry_interval=1, deferrable=deferrable, retries=2,
            retry_delay=timedelta(seconds=0),
        ).expand(prompt=[f"{FOX}, take {i}" for i in range(6)])  # fmt: skip

with dag("concurrency_fail_fast"):
    PixVerseTextToVideoOperator.partial(task_id="fox", on_concurrency_limit="fail").expand(
        prompt=[f"{FOX}, take {i}" for i in range(3)]
    )

# The first try gives up after 0.5 s while the video is still generating (5 s); a retry must resume it.
for name, prompt in (
    ("resume_after_timeout", f"{FOX} [emulate:seconds=5]"),
    ("resume_finds_moderation", f"{FOX} [emulate:moderation]"),
):
    with dag(name):
        PixVerseTextToVideoOperator(
            task_id="fox", prompt=prompt, wait_for_completion=True, deferrable=False, poll_interval=1,
            timeout="{{ 0.5 if ti.try_number == 1 else 60 }}", retries=1, retry_delay=timedelta(seconds=0),
        )  # fmt: skip

# A retry whose request changed (the prompt renders the try number) pays for the new request. The first
# try's video never finishes within that try, whatever the machine's speed.
with dag("resume_after_prompt_change"):
    PixVerseTextToVideoOperator(
        task_id="fox",
        prompt=FOX + ", take {{ ti.try_number }}{{ ' [emulate:seconds=600]' if ti.try_number == 1 else '' }}",
        wait_for_completion=True, deferrable=False, poll_interval=1,
        timeout="{{ 0.5 if ti.try_number == 1 else 30 }}", retries=1, retry_delay=timedelta(seconds=0),
    )  # fmt: skip

# PixVerse keeps answering 500044: the task gives up when concurrency_timeout has passed.
with dag("no_free_slot"):
    PixVerseTextToVideoOperator(task_id="fox", prompt=FOX, concurrency_timeout=3, concurrency_retry_interval=1)

# Status 8 is worth paying again for: one retry, so exactly two submits.
with dag("resubmit_after_failure"):
    PixVerseTextToVideoOperator(
        task_id="fox", prompt=f"{FOX} [emulate:failure]", wait_for_completion=True, deferrable=False,
        poll_interval=1, timeout=10, retries=1, retry_delay=timedelta(seconds=0),
    )  # fmt: skip
