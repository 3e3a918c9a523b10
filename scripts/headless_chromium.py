"""How the browser tests and the UI benchmark start Debian's chromium: headless, and quiet on a closed network
(without the background-networking flags it keeps trying to reach Google's hosts, and every try is refused)."""

from __future__ import annotations

FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--window-size=1400,1000",
]
