"""Reading media headers the way PixVerse's upload checks do, with the standard library only.

The real API rejects uploads whose image or video header it cannot read, and checks their size and
duration. The emulator gives the same answers without third-party decoders, so this package reads only
headers: an image's from the first bytes of the upload (``images``), and an audio or video file's by
seeking over its container's boxes and chunks (``isobmff``, ``webm``, ``audio``; ``sniff`` picks the
reader by magic bytes), never loading the media data, which may be 50+ MB.
"""

from __future__ import annotations

from pixverse_provider.emulator.probe.images import ImageInfo, probe_image
from pixverse_provider.emulator.probe.isobmff import iter_boxes
from pixverse_provider.emulator.probe.media_info import MediaInfo
from pixverse_provider.emulator.probe.sniff import probe_media

__all__ = ["ImageInfo", "MediaInfo", "iter_boxes", "probe_image", "probe_media"]
