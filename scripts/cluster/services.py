"""The services a production-shaped Airflow stands on, each a throw-away process on loopback: PostgreSQL (the
metadata database and Celery's result backend), Redis (Celery's broker) and moto's S3 server (where videos land).

Each service is a command line plus a readiness check; ``Cluster`` (scripts/cluster/deployment.py) starts them
with the same process handling as Airflow's components. Nothing here keeps data: every data folder is a new
temporary folder, removed by ``Cluster.stop()``.

PostgreSQL refuses to run as root (``initdb``: "cannot be run as root"), and ``make test`` runs as root in CI.
So when this runs as root, ``initdb`` and ``postgres`` run as the unprivileged ``nobody`` user (Python's
``subprocess`` switches user and group before exec, no ``sudo`` or ``runuser`` needed) in a data folder made
for it under the system's temporary folder (a pytest ``tmp_path`` is private to root, so ``nobody`` could not
enter it). As any other user they run as that user. Either way the server listens on 127.0.0.1 only, with no
Unix socket, and trusts every local connection (a throw-away database that nothing outside the machine reaches).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from scripts.standalone import free_port

LOOPBACK = "127.0.0.1"
POSTGRES_VERSIONS = ("17", "16", "15", "14", "13")
UNPRIVILEGED_USER = "nobody"
DATABASE = "airflow"
DB_USER = "airflow"


def postgres_bin() -> Path:
    """The folder holding ``initdb`` and ``postgres``: on PATH, else Debian's /usr/lib/postgresql/<version>/bin."""
    found = shutil.which("initdb")
    if found:
        return Path(found).parent
    for version in POSTGRES_VERSIONS:
        folder = Path(f"/usr/lib/postgresql/{version}/bin")
        if (folder / "initdb").exists():
            return folder
    raise FileNotFoundError("PostgreSQL's initdb was not found: install Debian's postgresql (make system-packages)")


def tcp_answers(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(2)
        return sock.connect_ex((LOOPBACK, port)) == 0


@dataclass
class RunAs:
    """The user a service runs as: ``nobody`` when we are root (PostgreSQL refuses root), else ourselves."""

    uid: int | None = None
    gid: int | None = None

    @classmethod
    def for_postgres(cls) -> RunAs:
        if os.geteuid() != 0:
            return cls()
        user = pwd.getpwnam(UNPRIVILEGED_USER)
        return cls(user.pw_uid, user.pw_gid)

    def popen_args(self) -> dict[str, Any]:
        """Arguments of ``subprocess.Popen`` that drop to this user (no supplementary groups kept)."""
        if self.uid is None:
            return {}
        return {"user": self.uid, "group": self.gid, "extra_groups": []}

    def own(self, path: Path) -> None:
        if self.uid is not None and self.gid is not None:
            os.chown(path, self.uid, self.gid)


@dataclass
class Service:
    """A process the deployment needs besides Airflow: its command, and how to tell it is ready.

    :param name: the name of its log file and of its entry in ``Cluster.processes``.
    :param port: the loopback port it listens on.
    :param stop_signal: the signal that shuts it down cleanly (PostgreSQL's fast shutdown is SIGINT).
    """

    name: str = "service"
    port: int = field(default_factory=free_port)
    stop_signal: int = signal.SIGTERM

    def command(self) -> list[str]:
        raise NotImplementedError

    def prepare(self) -> None:
        """Anything to do once before the first start (create a data folder ...)."""

    def popen_args(self) -> dict[str, Any]:
        return {}

    def ready(self) -> bool:
        return tcp_answers(self.port)

    def cleanup(self) -> None:
        """Remove what ``prepare`` made, once the process has ended."""


@dataclass
class PostgresService(Service):
    """A throw-away PostgreSQL cluster: ``initdb`` into a temporary folder, ``postgres`` on a loopback port.

    Durability is switched off (``fsync``, ``synchronous_commit``, ``full_page_writes``): the data dies with the
    test. A restart (``Cluster.restart("postgres")``) keeps the data folder, so it is a real database restart.
    """

    name: str = "postgres"
    stop_signal: int = signal.SIGINT  # fast shutdown: ends the sessions, then exits
    run_as: RunAs = field(default_factory=RunAs.for_postgres)
    data: Path | None = None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg2://{DB_USER}@{LOOPBACK}:{self.port}/{DATABASE}"

    def prepare(self) -> None:
        folder = Path(tempfile.mkdtemp(prefix="pixverse-postgres-"))  # the system temp folder: nobody can enter
        self.run_as.own(folder)
        self.data = folder / "data"
        initdb = [str(postgres_bin() / "initdb"), "-D", str(self.data), "-U", DB_USER, "--auth=trust"]
        initdb += ["--encoding=UTF8", "--no-sync", "--no-instructions"]
        done = subprocess.run(initdb, capture_output=True, text=True, cwd=folder, **self.run_as.popen_args())
        if done.returncode != 0:
            raise RuntimeError(f"initdb failed:\n{done.stdout[-2000:]}{done.stderr[-2000:]}")

    def command(self) -> list[str]:
        assert self.data is not None, "prepare() first"
        settings = {
            "listen_addresses": LOOPBACK,
            "port": str(self.port),
            "unix_socket_directories": "",
            "max_connections": "300",
            "fsync": "off",
            "synchronous_commit": "off",
            "full_page_writes": "off",
        }
        options = [arg for name, value in settings.items() for arg in ("-c", f"{name}={value}")]
        return [str(postgres_bin() / "postgres"), "-D", str(self.data), *options]

    def popen_args(self) -> dict[str, Any]:
        assert self.data is not None
        return {"cwd": self.data.parent, **self.run_as.popen_args()}

    def ready(self) -> bool:
        """Accepts a session on the ``airflow`` database (created on the first start)."""
        import psycopg2

        try:
            conn = psycopg2.connect(host=LOOPBACK, port=self.port, user=DB_USER, dbname="postgres", connect_timeout=3)
        except psycopg2.OperationalError:
            return False
        try:
            conn.autocommit = True
            with conn.cursor() as cur:
                cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,))
                if cur.fetchone() is None:
                    cur.execute(f"CREATE DATABASE {DATABASE}")
            return True
        finally:
            conn.close()

    def cleanup(self) -> None:
        if self.data is not None:
            shutil.rmtree(self.data.parent, ignore_errors=True)


@dataclass
class RedisService(Service):
    """Redis as Celery's broker: loopback only, nothing saved to disk."""

    name: str = "redis"
    folder: Path | None = None

    def prepare(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="pixverse-redis-"))

    def command(self) -> list[str]:
        redis = shutil.which("redis-server") or "/usr/bin/redis-server"
        return [redis, "--bind", LOOPBACK, "--port", str(self.port), "--save", "", "--appendonly", "no",
                "--dir", str(self.folder), "--protected-mode", "yes"]  # fmt: skip

    @property
    def url(self) -> str:
        return f"redis://{LOOPBACK}:{self.port}/0"

    def cleanup(self) -> None:
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)


@dataclass
class MotoS3Service(Service):
    """moto's server mode: an S3-compatible endpoint on loopback that keeps objects in memory."""

    name: str = "s3"

    def command(self) -> list[str]:
        return [sys.executable, "-m", "moto.server", "-H", LOOPBACK, "-p", str(self.port)]

    @property
    def url(self) -> str:
        return f"http://{LOOPBACK}:{self.port}"
