"""Serve the flows as deployments from this process: `scrape` (then `curate`) on a cron schedule, plus
on-demand `backfill` and `curate`. Needs a Prefect server (`prefect server start`; set PREFECT_API_URL)."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from prefect import serve
from prefect.deployments.runner import RunnerDeployment
from prefect.schedules import Cron

from flows.backfill import backfill
from flows.curate import curate
from flows.scrape import scrape

DEFAULT_CRON = "0 */6 * * *"  # every six hours


def _made(deployment: RunnerDeployment | Coroutine[Any, Any, RunnerDeployment]) -> RunnerDeployment:
    """`to_deployment` returns a coroutine only when called from async code; `main` is not."""
    assert isinstance(deployment, RunnerDeployment)
    return deployment


def main(argv: list[str] | None = None) -> int:
    """Register the deployments and run their scheduled and requested runs until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--config", default="notepipe.toml", help="notepipe.toml the runs use")
    parser.add_argument("--cron", default=DEFAULT_CRON, help=f"schedule of the scrape (default {DEFAULT_CRON!r})")
    parser.add_argument("--timezone", default="Asia/Tokyo")
    args = parser.parse_args(argv)
    if not os.environ.get("PREFECT_API_URL"):
        print("flows/serve.py: schedules only run against a Prefect server: start one with `prefect server start` "
              "and set PREFECT_API_URL=http://127.0.0.1:4200/api", file=sys.stderr)
        return 2
    config = str(Path(args.config).resolve())
    serve(
        _made(scrape.to_deployment(name="scheduled", schedule=Cron(args.cron, timezone=args.timezone),
                                   parameters={"config_path": config})),
        _made(backfill.to_deployment(name="on-demand", parameters={"config_path": config})),
        _made(curate.to_deployment(name="on-demand", parameters={"config_path": config})),
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
