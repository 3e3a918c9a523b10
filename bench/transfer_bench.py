"""Benchmark 3: streaming transfers through PixVerseHook, peak memory and throughput.

- Download: a 1 GiB sparse file in /tmp served over loopback by a small HTTP server in its own process
  (``serve`` mode: ``socket.sendfile``, so the server is never the bottleneck), fetched into a local file
  by ``PixVerseHook.download_video(record=VideoRecord(status=1, url, size))`` and by ``curl``,
  alternately, in the same run. Throughput = bytes / wall time of the transfer itself.
- Upload: ``PixVerseHook.upload_media`` of a 50 MiB .mp4 to the same server, which reads the multipart body
  to the end, counts it and answers a PixVerse envelope.

Every hook transfer runs in a fresh child process (``download`` / ``upload`` mode) that reports its peak RSS
growth over the transfer (the baseline is taken after imports and hook creation). Files are removed at the end.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import socketserver
import subprocess
import sys
import tempfile
import time
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import benchutil as bu

GIB = 1024**3
MIB = 1024**2
UPLOAD_PATH = "/openapi/v2/media/upload"


# ============================================================================================= server


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    video: Path

    def log_message(self, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        size = self.video.stat().st_size
        self.send_response(200)
        self.send_header("Content-Type", "video/mp4")
        self.send_header("Content-Length", str(size))
        self.end_headers()
        self.wfile.flush()
        with self.video.open("rb") as f:
            self.connection.sendfile(f)

    def do_POST(self) -> None:
        left = int(self.headers.get("Content-Length", "0"))
        received = 0
        while left:
            chunk = self.rfile.read(min(left, MIB))
            if not chunk:
                break
            received += len(chunk)
            left -= len(chunk)
        body = json.dumps(
            {"ErrCode": 0, "ErrMsg": "success", "Resp": {"media_id": received, "media_type": "video", "url": ""}}
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _Server(socketserver.ThreadingMixIn, socketserver.TCPServer):
    daemon_threads = True
    allow_reuse_address = True


def _serve(video: str, port: int) -> int:
    _Handler.video = Path(video)
    with _Server(("127.0.0.1", port), _Handler) as server:
        server.serve_forever()
    return 0


# ============================================================================================= children


def _hook() -> Any:
    from pixverse_provider.hooks import PixVerseHook

    return PixVerseHook()


SMALL_CHUNK, LARGE_CHUNK = 64 * 1024, 1024 * 1024
"""The two ``DOWNLOAD_CHUNK`` sizes compared: whichever the package does not use runs as ``hook_alt``."""


def package_chunk() -> int:
    from pixverse_provider.hooks import pixverse

    return int(pixverse.DOWNLOAD_CHUNK)


def _download(url: str, size: int, dest: str, chunk: int = 0) -> int:
    from pixverse_provider.api.responses import VideoRecord
    from pixverse_provider.hooks import pixverse

    if chunk:
        # The comparison changes this one constant: the same download_video code runs.
        pixverse.DOWNLOAD_CHUNK = chunk
    hook = _hook()
    record = VideoRecord(id=1, status=1, url=url, size=size)
    peak = bu.PeakRss().start()
    rss0 = bu.rss_kb()
    usage0, cpu0 = resource.getrusage(resource.RUSAGE_SELF), time.process_time()
    start = time.perf_counter()
    hook.download_video(1, Path(dest), record=record)
    wall = time.perf_counter() - start
    usage = resource.getrusage(resource.RUSAGE_SELF)
    cpu = time.process_time() - cpu0
    peak_kb = peak.stop()
    written = Path(dest).stat().st_size
    print(
        json.dumps(
            {
                "wall_s": wall,
                "bytes": written,
                "growth_kb": peak_kb - rss0,
                "rss0_kb": rss0,
                "peak_method": peak.method,
                "chunk": pixverse.DOWNLOAD_CHUNK,
                "sys_s": usage.ru_stime - usage0.ru_stime,
                "cpu_s": cpu,
            }
        )
    )
    return 0


def _upload(path: str) -> int:
    hook = _hook()
    peak = bu.PeakRss().start()
    rss0 = bu.rss_kb()
    start = time.perf_counter()
    answer = hook.upload_media(Path(path))
    wall = time.perf_counter() - start
    peak_kb = peak.stop()
    print(
        json.dumps(
            {
                "wall_s": wall,
                "bytes_received": answer.media_id,
                "growth_kb": peak_kb - rss0,
                "rss0_kb": rss0,
                "file_bytes": Path(path).stat().st_size,
            }
        )
    )
    return 0


# ============================================================================================= orchestrator


def _child(args: list[str], env: dict[str, str]) -> dict[str, Any]:
    proc = subprocess.run(
        [bu.PYTHON, str(Path(__file__).resolve()), *args],
        capture_output=True,
        text=True,
        env=env,
        cwd=bu.REPO,
        timeout=600,
    )
    if proc.returncode != 0:
        raise RuntimeError(f"transfer child {args[0]} failed: {proc.stderr[-2000:]}")
    return dict(json.loads(proc.stdout.strip().splitlines()[-1]))


def _curl(url: str, dest: Path) -> dict[str, Any]:
    start = time.perf_counter()
    proc = subprocess.run(["curl", "-sS", "--fail", "-o", str(dest), url], capture_output=True, text=True, timeout=600)
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"curl failed: {proc.stderr}")
    return {"wall_s": wall, "bytes": dest.stat().st_size}


def run(
    *,
    runs: int = 3,
    size: int = GIB,
    upload_size: int = 50 * MIB,
    progress: Any = print,
    deadline: float | None = None,
    checkpoint: Any = None,
) -> dict[str, Any]:
    """``runs`` rounds (fewer, at least one, when ``deadline`` (time.time()) would pass first);
    ``checkpoint(figures)`` after every round, so a run stopped at its limit keeps what it measured."""
    if shutil.which("curl") is None:
        raise RuntimeError("curl is not installed")
    work = Path(tempfile.mkdtemp(prefix="pixverse-bench-transfer-"))
    server = None
    try:
        video = work / "result.mp4"
        with video.open("wb") as f:
            f.truncate(size)  # sparse: no disk blocks, reads as zeros
        upload_file = work / "upload.mp4"
        with upload_file.open("wb") as f:
            for _ in range(upload_size // MIB):
                f.write(os.urandom(MIB))
        port = bu.free_port()
        server = subprocess.Popen(
            [bu.PYTHON, str(Path(__file__).resolve()), "serve", str(video), str(port)], env=bu.child_env(), cwd=bu.REPO
        )
        base_url = f"http://127.0.0.1:{port}"
        bu.wait_http(base_url + "/health", timeout=30)
        url = base_url + "/_emulator/media/video/1.mp4"
        env = bu.child_env(**bu.connection_env(base_url))
        out = work / "out"
        out.mkdir()
        raw: dict[str, list[dict[str, Any]]] = {"curl": [], "hook": [], "hook_alt": [], "upload": []}
        downloads = ["curl", "hook", "hook_alt"]
        alt_chunk = LARGE_CHUNK if package_chunk() == SMALL_CHUNK else SMALL_CHUNK
        started = time.time()

        def figures() -> dict[str, Any]:
            return {
                "runs": len(raw["upload"]),
                "size": size,
                "upload_size": upload_size,
                "raw": raw,
                "package_chunk": package_chunk(),
                "alt_chunk": alt_chunk,
            }

        for i in range(runs):
            order = downloads[i % 3 :] + downloads[: i % 3]
            for who in order:
                dest = out / f"{who}-{i}.mp4"
                if who == "curl":
                    result = _curl(url, dest)
                else:
                    chunk = str(alt_chunk if who == "hook_alt" else 0)
                    result = _child(["download", url, str(size), str(dest), chunk], env)
                if result["bytes"] != size:
                    raise RuntimeError(f"{who} wrote {result['bytes']} bytes, expected {size}")
                result["mb_per_s"] = size / MIB / result["wall_s"]
                raw[who].append(result)
                dest.unlink()
            raw["upload"].append(_child(["upload", str(upload_file)], env))
            progress(
                f"  transfer run {i + 1}/{runs}: curl {raw['curl'][-1]['mb_per_s']:.0f} MiB/s, "
                f"hook {raw['hook'][-1]['mb_per_s']:.0f} MiB/s (+{raw['hook'][-1]['growth_kb'] / 1024:.1f} MiB), "
                f"hook with {alt_chunk // 1024} KiB chunks {raw['hook_alt'][-1]['mb_per_s']:.0f} MiB/s, "
                f"upload +{raw['upload'][-1]['growth_kb'] / 1024:.1f} MiB"
            )
            if checkpoint:
                checkpoint(figures())
            per_round = (time.time() - started) / (i + 1)
            if deadline is not None and time.time() + 1.5 * per_round > deadline:
                progress(f"  transfers: {i + 1} of {runs} runs fit in the time left")
                break
        return figures()
    finally:
        if server is not None:
            bu.stop_process(server)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    mode, args = sys.argv[1], sys.argv[2:]
    if mode == "serve":
        sys.exit(_serve(args[0], int(args[1])))
    if mode == "download":
        sys.exit(_download(args[0], int(args[1]), args[2], int(args[3]) if len(args) > 3 else 0))
    if mode == "upload":
        sys.exit(_upload(args[0]))
    sys.exit(2)
