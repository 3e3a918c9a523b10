"""DAGs for ``durable`` and the PixVerse retry policy. The retry-policy DAGs exist on Airflow 3.3+ only (the
file imports on 3.1 too, since dag.test() parses every file of this folder)."""

from __future__ import annotations

from datetime import timedelta

from airflow.sdk import DAG

from pixverse_provider.operators import PixVerseTextToVideoOperator
from pixverse_provider.retry_policy import AIRFLOW_HAS_RETRY_POLICY

FOX = "A red fox running through fresh snow"
POLICY_PAUSE = timedelta(seconds=2)
DAGS: dict[str, DAG] = {}

# The first try gives up after 0.5 s while its video is still generating (5 s), whatever the machine's speed;
# the retry either resumes that video (durable=True, Airflow 3.3) or pays for a new one.
FIRST_TRY_GIVES_UP = {
    "wait_for_completion": True,
    "deferrable": False,
    "poll_interval": 1,
    "timeout": "{{ 0.5 if ti.try_number == 1 else 60 }}",
    "retries": 1,
    "retry_delay": timedelta(seconds=0),
}


def dag(dag_id: str) -> DAG:
    DAGS[dag_id] = DAG(dag_id, schedule=None, catchup=False)
    return DAGS[dag_id]


for durable in (True, False):
    with dag(f"retry_durable_{durable}".lower()):
        PixVerseTextToVideoOperator(
            task_id="fox", prompt=f"{FOX} [emulate:seconds=5]", durable=durable, **FIRST_TRY_GIVES_UP
        )

# Per map index: index 0 is durable, index 1 is not; each retries once.
with dag("retry_durable_mapped"):
    PixVerseTextToVideoOperator.partial(task_id="fox", **FIRST_TRY_GIVES_UP).expand_kwargs(
        [
            {"prompt": f"{FOX}, take 0 [emulate:seconds=5]", "durable": True},
            {"prompt": f"{FOX}, take 1 [emulate:seconds=5]", "durable": False},
        ]
    )

if AIRFLOW_HAS_RETRY_POLICY:
    from pixverse_provider.retry_policy import pixverse_retry_policy

    POLICY = {"retries": 3, "retry_delay": timedelta(seconds=0), "retry_policy": pixverse_retry_policy(POLICY_PAUSE)}

    # The first try's video fails on PixVerse's side (status 8); the retry's request succeeds.
    with dag("policy_status_8"):
        PixVerseTextToVideoOperator(
            task_id="fox",
            prompt=FOX + "{{ ' [emulate:failure]' if ti.try_number == 1 else '' }}",
            wait_for_completion=True,
            deferrable=True,
            poll_interval=1,
            **POLICY,
        )

    with dag("policy_moderation"):
        PixVerseTextToVideoOperator(
            task_id="fox", prompt=f"{FOX} [emulate:moderation]", wait_for_completion=True, poll_interval=1, **POLICY
        )
