"""Generation jobs (videos and image-template images): opened with a charge, settled when their time comes.

A job's final status takes effect lazily: every state call first settles the jobs whose ``ready_at`` has
passed on the emulator clock (a moderated one is refunded then). A job holds one of its account's
concurrency slots while it runs (docs/api-facts.rst, 'Concurrency'); image-template jobs do too (an assumption,
docs/api-facts.rst, 'Open questions').
"""

from __future__ import annotations

import random
from typing import Any

from pixverse_provider.api import errors, rules
from pixverse_provider.api.enums import VideoStatus
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.ids import IdSource
from pixverse_provider.emulator.ledger import Ledger
from pixverse_provider.emulator.records import Job

__all__ = ["JobBook"]


class JobBook:
    """The jobs of one emulator run, with how many were opened and the most that ran at once.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.

    :param ids: the emulator's id source (shared with uploads and masks, kept across resets).
    :param ledger: charged when a job opens, refunded when a job ends in moderation.
    """

    def __init__(self, ids: IdSource, ledger: Ledger) -> None:
        self._ids = ids
        self._ledger = ledger
        self._jobs: dict[int, Job] = {}
        self._unsettled: list[Job] = []
        self.opened = 0
        self.max_concurrent = 0

    def open(
        self,
        account_id: int,
        kind: str,
        mode: str,
        now: float,
        price: int,
        *,
        seconds: float,
        release_after: float,
        **fields: Any,
    ) -> Job:
        """Charge ``price`` and start a ``kind`` job ("video" or "image") that ends ``seconds`` from ``now``.

        ``fields`` are the other ``Job`` fields; ``outcome`` defaults to success and ``seed`` (None) to one
        drawn from the job id. ``release_after`` is the slot release time that the most-at-once count uses.
        Whether the account may open the job is checked by the caller.
        """
        job_id = self._ids.next("video" if kind == "video" else "image_job")
        seed = fields.pop("seed", None)
        job = Job(
            job_id=job_id,
            account_id=account_id,
            kind=kind,
            mode=mode,
            created=now,
            ready_at=now + seconds,
            outcome=fields.pop("outcome", VideoStatus.SUCCEEDED),
            credits=price,
            charged=self._ledger.charge(account_id, price),
            seed=random.Random(job_id).randrange(rules.SEED_MAX) if seed is None else seed,
            **fields,
        )
        self._jobs[job_id] = job
        self._unsettled.append(job)
        self.opened += 1
        self.max_concurrent = max(self.max_concurrent, self.active(now, release_after, account_id))
        return job

    def settle(self, now: float) -> None:
        """Apply the final status of every job whose time has come (a moderated one is refunded)."""
        still: list[Job] = []
        for job in self._unsettled:
            if now < job.ready_at:
                still.append(job)
                continue
            job.settled = True
            if job.outcome == VideoStatus.MODERATION_FAILED:
                self._ledger.refund(job)
        self._unsettled = still

    def active(self, now: float, release_after: float, account_id: int | None = None) -> int:
        """How many jobs (of ``account_id``, or of everyone) hold a concurrency slot at ``now``."""
        return sum(
            (account_id is None or job.account_id == account_id) and job.holds_slot(now, release_after)
            for job in self._jobs.values()
        )

    def check_slot(self, account_id: int, now: float, limit: int, release_after: float) -> None:
        """Raise 500044 when the account already runs ``limit`` jobs."""
        if self.active(now, release_after, account_id) >= limit:
            raise ApiError(
                errors.CONCURRENCY_LIMIT,
                f"concurrent generation limit of {limit} reached; wait for a running generation to finish",
            )

    def own(self, account_id: int, job_id: int, kind: str) -> Job:
        """The account's job of that kind; anything else (unknown, another account's) answers 500008."""
        job = self._jobs.get(job_id)
        if job is None or job.account_id != account_id or job.kind != kind:
            raise ApiError(errors.NOT_FOUND, f"requested data not found: {kind} {job_id}")
        return job

    def finished(self, kind: str, job_id: int, now: float) -> Job | None:
        """The job if it is a ``kind`` job in status 1 (anyone's: media is served without a key)."""
        job = self._jobs.get(job_id)
        if job is None or job.kind != kind or job.status(now) != VideoStatus.SUCCEEDED:
            return None
        return job

    def source_video(self, account_id: int, video_id: int, now: float) -> Job:
        """The account's finished video ``video_id`` (a ``source_video_id``), or 400017."""
        job = self.finished("video", video_id, now)
        if job is None or job.account_id != account_id:
            raise ApiError(errors.INVALID_PARAMETER, f"couldn't find a matching source video: {video_id}")
        return job
