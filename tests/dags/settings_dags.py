"""DAGs whose task settings only become known when the task runs (templates), for test_task_settings.py."""

from __future__ import annotations

from datetime import datetime

from airflow.sdk import DAG

from pixverse_provider.operators import PixVerseTextToVideoOperator

DAGS: dict[str, DAG] = {}

with DAG(
    "settings_templated",
    schedule=None,
    start_date=datetime(2025, 1, 1),
    params={"poll": "2", "timeout": "60", "credits": "500"},
) as dag:
    PixVerseTextToVideoOperator(
        task_id="fox",
        prompt="A red fox in the snow [emulate:seconds=1]",
        wait_for_completion=True,
        poll_interval="{{ params.poll }}",
        timeout="{{ params.timeout }}",
        max_credits="{{ params.credits }}",
        retries=2,
    )
DAGS[dag.dag_id] = dag
