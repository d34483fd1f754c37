"""The `curate` flow: raw/ → curated/ with no network; batches of posts run in parallel on a Dask runner."""

from __future__ import annotations

import math
from pathlib import Path

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.context import FlowRunContext
from prefect.futures import as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.tasks import assemble_curated, pack, plan_curate, process_batch
from notepipe.config import load_config
from notepipe.curate import Assembly, CurateReport
from notepipe.raw_store import folder_lock

# A task costs 0.1-0.3 s of orchestration (state changes through the API), a post 3-6 ms of CPU: a few large
# batches per worker (32 of 256 posts at 100 MB cost 1.27x on Dask against 1.50x for 8 of 1,014).
MIN_BATCH, MAX_BATCH = 8, 2048


def in_other_processes() -> bool:
    """Whether this flow run's task runner is not the thread pool: Dask or Ray, whose workers are processes."""
    context = FlowRunContext.get()
    return context is not None and not isinstance(context.task_runner, ThreadPoolTaskRunner)


def pick_batch_size(todo: int, workers: int) -> int:
    """Posts per task: about 4 tasks per worker, so workers stay balanced as batches finish unevenly."""
    return max(MIN_BATCH, min(MAX_BATCH, math.ceil(todo / (4 * max(1, workers)))))


# Processing is CPU-bound Python and the tokenizers are per-process objects (a MeCab tagger is not meant to be
# shared across threads), so on the default runner batches run one at a time; parallelism comes from a Dask
# (or Ray) runner with worker processes. Measured: 8 threads were 1.5x slower than one (GIL contention).
@flow(name="notepipe-curate", log_prints=False, task_runner=ThreadPoolTaskRunner(max_workers=1))
def curate(config_path: str | None = None, batch_size: int | None = None, workers: int = 2) -> dict[str, object]:
    """Rebuild curated/ from raw/, re-processing only changed posts (`batch_size` None: chosen for `workers`)."""
    logger = get_run_logger()
    config = load_config(config_path)
    with folder_lock(config.curated_dir):
        planned = plan_curate(config)
        size = batch_size or pick_batch_size(len(planned.todo), workers)
        batches = [planned.todo[i:i + size] for i in range(0, len(planned.todo), size)]
        logger.info("%d posts, %d to process in %d batches", len(planned.items), len(planned.todo), len(batches))
        futures = {process_batch.submit(pack(b), config, label=f"{i + 1}/{len(batches)}"): b
                   for i, b in enumerate(batches)}
        assembly = Assembly(planned, config.curated_dir)
        if in_other_processes():
            # Read entries while the batches run elsewhere: those already cached, then each batch's as it completes.
            assembly.add_cached()
            for future in as_completed(list(futures)):
                future.result()
                assembly.add(futures[future])
        else:  # a thread of this process: reading now would only fight the batch for the GIL (20 % slower at 100 MB)
            for future in futures:
                future.result()
        report: CurateReport = assemble_curated(assembly)
    logger.info(report.summary())
    create_markdown_artifact(key="curate-summary", markdown=f"```\n{report.summary()}\n```",
                             description="notepipe curate: counts per source and language")
    return report.to_dict()


def run_on(runner: str, config_path: str | None = None, workers: int = 2, batch_size: int | None = None,
           address: str | None = None) -> dict[str, object]:
    """Run `curate` on the default runner, or on Dask: a running cluster at `address` (`tcp://host:8786`),
    else a temporary local cluster of `workers` processes."""
    if runner == "dask":
        from prefect_dask import DaskTaskRunner

        dask = (DaskTaskRunner(address=address) if address else
                DaskTaskRunner(cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}))
        return curate.with_options(task_runner=dask)(config_path=config_path, batch_size=batch_size,
                                                        workers=workers)
    return curate(config_path=config_path, batch_size=batch_size, workers=workers)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the notepipe curate flow under Prefect.")
    parser.add_argument("--config", help="notepipe.toml (default: ./notepipe.toml)")
    parser.add_argument("--runner", choices=["default", "dask"], default="default")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (needs a Prefect server)")
    parser.add_argument("--address", help="a running Dask scheduler, e.g. tcp://scheduler:8786 (with --runner dask)")
    args = parser.parse_args()
    print(run_on(args.runner, str(Path(args.config)) if args.config else None, args.workers, address=args.address))
