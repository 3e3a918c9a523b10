"""Sensors: ``PixVerseVideoSensor`` waits for a video to finish."""

from __future__ import annotations

from pixverse_provider.sensors.pixverse import PixVerseVideoSensor

__all__ = ["PixVerseVideoSensor"]
