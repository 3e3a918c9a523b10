"""``make deployment`` (``python -m scripts.cluster``): the production-shaped deployment for a user to try.

Serves the example DAGs and the cluster's own (scripts/cluster/dags). The example DAGs land their videos in
the S3 server (``s3://videos/examples/``, reached through the ``AWS_*`` environment variables). Prints the UI
address and stops everything on Ctrl-C, with the same code the tests in tests/e2e/cluster run.
``AIRFLOW_PORT`` and ``PIXVERSE_EMULATOR_PORT`` choose the ports (defaults 8080 and 8787); the services take
free loopback ports. Each start begins with a fresh database.
"""

from __future__ import annotations

import shutil
import sys

from scripts.cluster.deployment import S3_CONN_ID, S3_CREDENTIALS, Cluster
from scripts.standalone import EMULATOR_KEY, LOOPBACK, ROOT, requested_ports, serve

HOME = ROOT / ".demo" / "cluster"


def main() -> int:
    ports = requested_ports()
    if ports is None:
        return 1
    api_port, emulator_port = ports
    shutil.rmtree(HOME, ignore_errors=True)  # a fresh database every time: nothing to migrate or clean up
    dags = HOME / "dags"
    shutil.copytree(ROOT / "example_dags", dags)
    shutil.copy(ROOT / "scripts" / "cluster" / "dags" / "pixverse_cluster.py", dags)
    cluster = Cluster(
        home=HOME / "airflow",
        dags_folder=dags,
        output_dir=HOME / "videos",
        api_port=api_port,
        emulator_port=emulator_port,
        settings={"PIXVERSE_OUTPUT_DIR": "s3://videos/examples"},
    )
    # The example DAGs land in S3 too. Their output_path has no connection id, so the S3 filesystem finds its
    # credentials and endpoint the way boto3 does without a connection: in the AWS_* environment variables.
    cluster.settings |= {
        "AWS_ACCESS_KEY_ID": S3_CREDENTIALS,
        "AWS_SECRET_ACCESS_KEY": S3_CREDENTIALS,
        "AWS_DEFAULT_REGION": "us-east-1",
        "AWS_ENDPOINT_URL_S3": cluster.s3.url,
    }
    return serve(cluster, lambda: [
        f"Airflow UI: {cluster.api}  (no login: every visitor is an admin)",
        f"Celery workers: {', '.join(cluster.worker_names)}; triggerers: {', '.join(cluster.triggerer_names)}",
        f"PostgreSQL: {LOOPBACK}:{cluster.postgres.port} (user airflow, database airflow); "
        f"Redis: {cluster.redis.url}",
        f"S3 (moto): {cluster.s3.url}, bucket s3://{cluster.bucket} (key and secret {S3_CREDENTIALS!r}); "
        f"connection {S3_CONN_ID!r}, or the AWS_* variables",
        f"PixVerse emulator: {cluster.emulator}  (API key {EMULATOR_KEY!r}, {cluster.concurrency} videos at once)",
        f"DAGs: {dags} (the examples and pixverse_cluster_batch); logs: {cluster.logs}",
        f"Local only: every process listens on {LOOPBACK}. Ctrl-C to stop.",
    ])  # fmt: skip


if __name__ == "__main__":
    sys.exit(main())
