"""``[celery] celery_config_options`` of the cluster: Airflow's default Celery settings, plus the provider and
the S3 filesystem imported once in each worker before it forks its task processes.

Every task process a Celery worker starts is a fork of the worker, and in Airflow 3 it parses its DAG file
again, importing what the DAG imports: the PixVerse operators and sensor, and, to land a video in S3, the
Amazon provider's S3 filesystem (s3fs, aiobotocore, boto3). Imported in the worker first, a fork has them
already, as Airflow already does for its own "expensive" modules (``celery_executor_utils``'s preload). On
the 2-core machine this took the import time out of every one of the batch's hundreds of task runs.
"""

from __future__ import annotations

from airflow.providers.celery.executors.default_celery import DEFAULT_CELERY_CONFIG

PRELOADED = (
    "pixverse_provider.operators",
    "pixverse_provider.sensors",
    "pixverse_provider.hooks",
    "airflow.providers.amazon.aws.fs.s3",
    "s3fs",
)

CELERY_CONFIG = {**DEFAULT_CELERY_CONFIG, "imports": (*DEFAULT_CELERY_CONFIG.get("imports", ()), *PRELOADED)}
