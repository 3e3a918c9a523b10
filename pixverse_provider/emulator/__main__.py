"""``python -m pixverse_provider.emulator``: the ``pixverse-emulator`` command."""

from __future__ import annotations

from pixverse_provider.emulator.cli import main

raise SystemExit(main())
