"""Everything the emulator knows and does, as plain Python without HTTP (so it is unit-testable).

``EmulatorState`` is the one way in for the app, the admin API, the middleware, the server and tests. It
composes parts that each keep one kind of thing:

- ``EmulatedClock`` (``emulated_time``): wall-clock time plus the offset tests advance;
- ``Ledger`` (``ledger``): accounts, balances, charges and refunds;
- ``UploadStore`` (``upload_store``): accepted uploads and their files;
- ``JobBook`` (``jobs``): generation jobs, settled lazily from the clock;
- ``MaskBook`` (``masks``): mask selections;
- ``TraceReplay`` (``replay``): the first answer per trace id on billable POSTs;
- ``RequestLog`` (``request_log``): the request log and per-path counts;
- ``FaultQueue`` (``faults``): faults waiting to be injected;
- ``BillablePosts`` (``billable``): the generation, image-template and mask-selection rules over the above.

Lock discipline: the parts are plain objects with no lock of their own, reachable only through this class.
Every public method takes the one lock (``self._lock``, re-entrant) exactly once, around everything it reads
or changes, so each call sees and leaves a consistent whole although uvicorn serves on one thread while
tests read from another. Calls that depend on time first settle the jobs whose time has come, under the
same lock. Only building a served video file (pure, cached, slow the first time) happens outside it. Ids
come from one ``IdSource`` kept across ``reset()`` (ids never repeat, see ``ids``).
"""

from __future__ import annotations

import dataclasses
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from pixverse_provider.api import request_models as rq
from pixverse_provider.emulator import videos
from pixverse_provider.emulator.billable import BillablePosts
from pixverse_provider.emulator.config import EmulatorConfig
from pixverse_provider.emulator.emulated_time import EmulatedClock
from pixverse_provider.emulator.faults import Fault, FaultQueue
from pixverse_provider.emulator.ids import IdSource
from pixverse_provider.emulator.jobs import JobBook
from pixverse_provider.emulator.ledger import Ledger
from pixverse_provider.emulator.masks import MaskBook
from pixverse_provider.emulator.records import Job, StoredUpload
from pixverse_provider.emulator.replay import TraceReplay
from pixverse_provider.emulator.request_log import RequestLog
from pixverse_provider.emulator.upload_store import UploadStore

__all__ = ["EmulatorState"]

CHANGEABLE_SETTINGS = frozenset(
    {"generation_seconds", "concurrency", "credits", "credit_monthly", "max_image_side", "slot_release_seconds"}
)
WHOLE_NUMBER_SETTINGS = frozenset({"concurrency", "credits", "credit_monthly", "max_image_side"})


class EmulatorState:
    """The state of one emulator: its settings, its parts (see the module) and the lock that guards them.

    :param config: the settings it starts with, and returns to on ``reset``. ``media_dir=None`` makes it use
        a temporary directory that ``close`` removes.
    """

    def __init__(self, config: EmulatorConfig) -> None:
        self._initial = config
        self._lock = threading.RLock()
        self._ids = IdSource()
        self._owned_dir: Path | None = None
        if config.media_dir is None:
            self._owned_dir = Path(tempfile.mkdtemp(prefix="pixverse-emulator-"))
        self.media_dir = self._owned_dir or Path(config.media_dir or ".")
        self._closed = False
        self._clear()

    # ------------------------------------------------------------------ lifecycle, clock, settings

    def _clear(self) -> None:
        """Start afresh from ``self._initial`` (called with the lock held, or at init)."""
        self._config = self._initial
        self._clock = EmulatedClock()
        self._ledger = Ledger(self._initial)
        self._uploads = UploadStore(self.media_dir, self._ids)
        self._jobs = JobBook(self._ids, self._ledger)
        self._masks = MaskBook(self._ids)
        self._replay = TraceReplay()
        self._log = RequestLog()
        self._faults = FaultQueue()
        self._billable = BillablePosts(self._ledger, self._uploads, self._jobs, self._masks, self._replay)

    def reset(self) -> None:
        """Back to how the emulator started: jobs, uploads, counters, faults, log, credits, clock, settings."""
        with self._lock:
            self._clear()

    def close(self) -> None:
        """Remove the media directory if this state created it."""
        with self._lock:
            if self._owned_dir is not None and not self._closed:
                shutil.rmtree(self._owned_dir, ignore_errors=True)
            self._closed = True

    @property
    def config(self) -> EmulatorConfig:
        """The settings in effect (``update_config`` changes them until the next ``reset``)."""
        with self._lock:
            return self._config

    def update_config(self, **changes: Any) -> EmulatorConfig:
        """Change run-time settings; ``credits``/``credit_monthly`` also set every account's balance now."""
        unknown = set(changes) - CHANGEABLE_SETTINGS
        if unknown:
            changeable = ", ".join(sorted(CHANGEABLE_SETTINGS))
            raise ValueError(f"cannot change {', '.join(sorted(unknown))}; changeable: {changeable}")
        for name, value in changes.items():
            if not isinstance(value, (int, float)) or isinstance(value, bool):
                raise ValueError(f"{name} must be a number")
            if name in WHOLE_NUMBER_SETTINGS and value != int(value):
                raise ValueError(f"{name} must be a whole number")
        typed: dict[str, Any] = {k: (int(v) if k in WHOLE_NUMBER_SETTINGS else v) for k, v in changes.items()}
        with self._lock:
            self._config = dataclasses.replace(self._config, **typed)
            self._ledger.set_balances(credits=typed.get("credits"), credit_monthly=typed.get("credit_monthly"))
            return self._config

    def now(self) -> float:
        with self._lock:
            return self._clock.now()

    def advance(self, seconds: float) -> float:
        """Move the clock forward; returns the total offset. Jobs finish as if the time had passed."""
        with self._lock:
            offset = self._clock.advance(seconds)
            self._settle()
            return offset

    def _settle(self) -> float:
        """Settle the jobs whose time has come; returns the emulator time (call with the lock held)."""
        now = self._clock.now()
        self._jobs.settle(now)
        return now

    # ------------------------------------------------------------------ accounts and uploads

    def authenticate(self, api_key: str | None) -> int:
        """The account id behind ``api_key``; a missing or unknown key answers ``config.auth_error_code``."""
        with self._lock:
            return self._ledger.authenticate(api_key, self._config.auth_error_code)

    def balance(self, account_id: int | None = None) -> dict[str, int]:
        """``{account_id, credit_monthly, credit_package}`` (the first key's account by default)."""
        with self._lock:
            self._settle()
            return self._ledger.account(account_id).to_json()

    def incoming_path(self) -> Path:
        """A fresh file name for an upload being received (moved into place by ``add_upload``)."""
        with self._lock:
            return self._uploads.incoming_path()

    def add_upload(
        self,
        account_id: int,
        kind: str,
        fmt: str,
        received: Path,
        size: int,
        *,
        width: int | None = None,
        height: int | None = None,
        duration: float | None = None,
    ) -> StoredUpload:
        """Keep an accepted upload: give it an id (``img_id`` or ``media_id``) and move the file into place."""
        arrived = StoredUpload(0, account_id, kind, fmt, received, size, width, height, duration)
        with self._lock:
            return self._uploads.add(arrived)

    def upload(self, upload_id: int) -> StoredUpload | None:
        with self._lock:
            return self._uploads.get(upload_id)

    # ------------------------------------------------------------------ billable POSTs (see ``billable``)

    def submit(self, account_id: int, trace_id: str, request: rq.PixVerseRequest) -> dict[str, Any]:
        """Run a generation POST after its request model accepted it; returns ``Resp`` or raises ApiError."""
        with self._lock:
            now = self._settle()
            return self._billable.submit(self._config, account_id, trace_id, request, now)

    def select_masks(
        self, account_id: int, trace_id: str, request: rq.MaskSelectionRequest, base_url: str
    ) -> dict[str, Any]:
        """Mask selection: 3 masks (person, object, background) of one frame; billed, not a job."""
        with self._lock:
            now = self._settle()
            return self._billable.select_masks(account_id, trace_id, request, base_url, now)

    def submit_image_template(self, account_id: int, trace_id: str, request: rq.ImageTemplateRequest) -> dict[str, Any]:
        """Image template: an image job that finishes like a video job."""
        with self._lock:
            now = self._settle()
            return self._billable.submit_image_template(self._config, account_id, trace_id, request, now)

    # ------------------------------------------------------------------ results

    def video_record(self, account_id: int, video_id: int, base_url: str) -> dict[str, Any]:
        """Status record; unknown ids (or another account's) answer 500008.

        ``size`` is the byte size of the file the URL serves; the file is made (and cached) outside the lock.
        """
        with self._lock:
            now = self._settle()
            job = self._jobs.own(account_id, video_id, "video")
            record = job.video_json(now, base_url)
        if record["url"]:
            record["size"] = len(videos.job_video(job))
        return record

    def image_record(self, account_id: int, image_id: int, base_url: str) -> dict[str, Any]:
        """Image result; unknown ids answer 500008."""
        with self._lock:
            now = self._settle()
            return self._jobs.own(account_id, image_id, "image").image_json(now, base_url)

    def finished(self, kind: str, job_id: int) -> Job | None:
        """The job if it is a ``kind`` job in status 1 (media is served only then)."""
        with self._lock:
            now = self._settle()
            return self._jobs.finished(kind, job_id, now)

    # ------------------------------------------------------------------ request log, counters, faults

    def record_request(self, method: str, path: str, trace_id: str | None, query: str = "") -> dict[str, Any]:
        """Count a request and start its log entry (never with headers: the API key stays out)."""
        with self._lock:
            return self._log.record(method, path, trace_id, query, self._clock.now())

    def annotate(self, entry: dict[str, Any], **fields: Any) -> None:
        """Add to a log entry that ``record_request`` started."""
        with self._lock:
            entry.update(fields)

    def request_log(self, path: str | None = None) -> list[dict[str, Any]]:
        """Logged requests, oldest first; ``path`` is a path or glob."""
        with self._lock:
            return self._log.entries(path)

    def counters(self) -> dict[str, Any]:
        """Totals since the start or the last ``reset``, for tests and the admin API."""
        with self._lock:
            now = self._settle()
            return {
                "requests": dict(self._log.counts),
                "requests_total": sum(self._log.counts.values()),
                "generations_charged": self._jobs.opened,
                "credits_charged": self._ledger.credits_charged,
                "generations_refunded": self._ledger.generations_refunded,
                "credits_refunded": self._ledger.credits_refunded,
                "jobs_created": self._jobs.opened,
                "uploads": len(self._uploads),
                "replays": self._replay.replays,
                "max_concurrent_jobs": self._jobs.max_concurrent,
                "active_jobs": self._jobs.active(now, self._config.slot_release_seconds),
                "faults_pending": self._faults.remaining(),
                "faults_injected": self._faults.injected,
            }

    def add_fault(self, fault: Fault) -> None:
        with self._lock:
            self._faults.add(fault)

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first pending fault for this request, counting it down (None: answer normally)."""
        with self._lock:
            return self._faults.take(method, path)

    def pending_faults(self) -> list[dict[str, Any]]:
        with self._lock:
            return self._faults.pending()

    def clear_faults(self) -> int:
        with self._lock:
            return self._faults.clear()
