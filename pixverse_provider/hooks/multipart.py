"""A multipart/form-data body that streams its file part, so an upload never sits whole in memory.

requests builds multipart bodies in memory; this file-like body has a known length (so requests sends a
Content-Length, which upload servers expect) and reads the file in chunks as the socket asks for them.
"""

from __future__ import annotations

import os
import uuid
from typing import IO


class StreamingMultipart:
    """``fields`` as plain form parts, then one file part read from ``fileobj`` (of ``size`` bytes)."""

    def __init__(
        self, fields: dict[str, str], file_field: str, filename: str, fileobj: IO[bytes], size: int, content_type: str
    ) -> None:
        self.boundary = uuid.uuid4().hex
        head = b"".join(self._part(name, value.encode()) for name, value in fields.items())
        safe_name = filename.replace('"', "_").replace("\r", "_").replace("\n", "_")
        head += (
            f"--{self.boundary}\r\n"
            f'Content-Disposition: form-data; name="{file_field}"; filename="{safe_name}"\r\n'
            f"Content-Type: {content_type}\r\n\r\n"
        ).encode()
        self._head = head
        self._tail = f"\r\n--{self.boundary}--\r\n".encode()
        self._file = fileobj
        self._length = len(head) + size + len(self._tail)
        self._stage = 0  # 0: head, 1: file, 2: tail, 3: done

    @property
    def content_type(self) -> str:
        return f"multipart/form-data; boundary={self.boundary}"

    def __len__(self) -> int:
        return self._length

    def read(self, size: int = -1) -> bytes:
        if size is None or size < 0:
            size = self._length
        out = bytearray()
        while len(out) < size and self._stage < 3:
            if self._stage == 0:
                out += self._head
                self._stage = 1
            elif self._stage == 1:
                chunk = self._file.read(size - len(out))
                if chunk:
                    out += chunk
                else:
                    self._stage = 2
            else:
                out += self._tail
                self._stage = 3
        return bytes(out)

    def _part(self, name: str, value: bytes) -> bytes:
        return f'--{self.boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode() + value + b"\r\n"


def file_size(fileobj: IO[bytes]) -> int:
    """Bytes left from the current position of a seekable file."""
    try:
        return os.fstat(fileobj.fileno()).st_size - fileobj.tell()
    except (AttributeError, OSError, ValueError):
        here = fileobj.tell()
        end = fileobj.seek(0, os.SEEK_END)
        fileobj.seek(here)
        return end - here
