"""Prefect flows over the notepipe core; this package applies safe Prefect defaults before its modules run."""

from __future__ import annotations

import os
from pathlib import Path

# Prefect settings the flows run with unless the environment sets them, each with its reason.
_DEFAULTS = {
    # One self-contained Prefect home per checkout, not ~/.prefect.
    "PREFECT_HOME": str(Path(__file__).resolve().parents[1] / ".prefect"),
    # The temporary server needs 20-28 s on a cold start on 2 cores; the default 20 s timeout fails it.
    "PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS": "120",
    # Offline machines: no telemetry attempts.
    "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
    "DO_NOT_TRACK": "1",
    # The default thread pool is unbounded; our fetches are rate-limited per host anyway.
    "PREFECT_TASKS_RUNNER_THREAD_POOL_MAX_WORKERS": "8",
    # The core logs per page and per request under `notepipe`; show it in the flow-run logs too.
    "PREFECT_LOGGING_EXTRA_LOGGERS": "notepipe",
}


def apply_prefect_defaults() -> None:
    """Set each default the environment does not set already (an operator's own value wins)."""
    for key, value in _DEFAULTS.items():
        os.environ.setdefault(key, value)


# On import: Python runs this before any module of the package (`python -m flows.scrape`, `import flows.curate`),
# and each of them imports prefect, which reads these settings when it is first imported.
apply_prefect_defaults()
