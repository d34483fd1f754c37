"""The `curate` flow: raw/ → curated/ with no network; batches of posts are processed in parallel."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact

from flows.tasks import assemble_curated, plan_curate, process_batch
from notepipe.config import load_config
from notepipe.curate import CurateReport
from notepipe.raw_store import folder_lock


@flow(name="notepipe-curate", log_prints=False)
def curate(config_path: str | None = None, batch_size: int = 64) -> dict[str, object]:
    """Rebuild curated/ from raw/, re-processing only changed posts."""
    logger = get_run_logger()
    config = load_config(config_path)
    with folder_lock(config.curated_dir):
        planned = plan_curate(config)
        logger.info("%d posts, %d to process", len(planned.items), len(planned.todo))
        batches = [planned.todo[i:i + batch_size] for i in range(0, len(planned.todo), batch_size)]
        futures = [process_batch.submit(b, config, label=f"{i + 1}/{len(batches)}") for i, b in enumerate(batches)]
        for future in futures:
            future.result()
        report: CurateReport = assemble_curated(planned, config)
    logger.info(report.summary())
    create_markdown_artifact(key="curate-summary", markdown=f"```\n{report.summary()}\n```",
                             description="notepipe curate: counts per source and language")
    return report.to_dict()


def run_on(runner: str, config_path: str | None = None, workers: int = 2) -> dict[str, object]:
    """Run `curate` on the default thread runner or on a local Dask cluster of `workers` processes."""
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        dask = DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True})
        return curate.with_options(task_runner=dask)(config_path=config_path)
    return curate(config_path=config_path)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the notepipe curate flow under Prefect.")
    parser.add_argument("--config", help="notepipe.toml (default: ./notepipe.toml)")
    parser.add_argument("--runner", choices=["default", "dask"], default="default")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (needs a Prefect server)")
    args = parser.parse_args()
    print(run_on(args.runner, str(Path(args.config)) if args.config else None, args.workers))
