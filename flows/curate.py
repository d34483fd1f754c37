"""The `curate` flow: raw/ → curated/ with no network; batches of posts are processed in parallel."""

from __future__ import annotations

import math
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.tasks import assemble_curated, plan_curate, process_batch
from notepipe.config import load_config
from notepipe.curate import CurateReport
from notepipe.raw_store import folder_lock

MIN_BATCH, MAX_BATCH = 8, 256  # a task costs ~0.1 s of orchestration; a post ~10-40 ms of CPU


def pick_batch_size(todo: int, workers: int) -> int:
    """Posts per task: about 4 tasks per worker, so workers stay balanced as batches finish unevenly."""
    return max(MIN_BATCH, min(MAX_BATCH, math.ceil(todo / (4 * max(1, workers)))))


@flow(name="notepipe-curate", log_prints=False)
def curate(config_path: str | None = None, batch_size: int | None = None, workers: int = 2) -> dict[str, object]:
    """Rebuild curated/ from raw/, re-processing only changed posts (`batch_size` None: chosen for `workers`)."""
    logger = get_run_logger()
    config = load_config(config_path)
    with folder_lock(config.curated_dir):
        planned = plan_curate(config)
        size = batch_size or pick_batch_size(len(planned.todo), workers)
        batches = [planned.todo[i:i + size] for i in range(0, len(planned.todo), size)]
        logger.info("%d posts, %d to process in %d batches", len(planned.items), len(planned.todo), len(batches))
        futures = [process_batch.submit(b, config, label=f"{i + 1}/{len(batches)}") for i, b in enumerate(batches)]
        for future in futures:
            future.result()
        report: CurateReport = assemble_curated(planned, config)
    logger.info(report.summary())
    create_markdown_artifact(key="curate-summary", markdown=f"```\n{report.summary()}\n```",
                             description="notepipe curate: counts per source and language")
    return report.to_dict()


def run_on(runner: str, config_path: str | None = None, workers: int = 2,
           batch_size: int | None = None) -> dict[str, object]:
    """Run `curate` on the default thread runner or on a local Dask cluster of `workers` processes."""
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        dask = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
        return curate.with_options(task_runner=dask)(config_path=config_path, batch_size=batch_size,
                                                        workers=workers)
    return curate(config_path=config_path, batch_size=batch_size, workers=workers)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the notepipe curate flow under Prefect.")
    parser.add_argument("--config", help="notepipe.toml (default: ./notepipe.toml)")
    parser.add_argument("--runner", choices=["default", "dask"], default="default")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (needs a Prefect server)")
    args = parser.parse_args()
    print(run_on(args.runner, str(Path(args.config)) if args.config else None, args.workers))
