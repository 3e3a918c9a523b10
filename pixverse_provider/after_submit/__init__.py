"""A video after its submit: waiting for it, judging how it ended, and landing it.

- ``verdict``: what a video's status means (done, failed, keep waiting) and the exception for each failure;
- ``poller``: ``VideoPoller``, the one wait that the hook, the sensor and the trigger drive;
- ``progress``: the progress lines every wait logs;
- ``waiting``: the defaults of a wait and the hand-over to the triggerer (and back);
- ``delivery``: the download to local or object storage, XComs, assets and lineage;
- ``clock``: wall-clock times as the trigger keeps them (aware UTC, ISO-8601 text).
"""
