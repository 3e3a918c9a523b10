"""``make deployment``: a production-shaped Airflow (PostgreSQL, Redis, Celery workers, two triggerers, S3) with
the PixVerse emulator on one machine, for users and for the tests in tests/e2e/cluster."""
