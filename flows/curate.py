"""The `curate` flow: raw/ → curated/ with no network; batches of posts run in parallel on a Dask runner."""

from __future__ import annotations

import math
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from prefect import flow, get_run_logger
from prefect.artifacts import create_markdown_artifact
from prefect.context import FlowRunContext
from prefect.futures import PrefectFuture, as_completed
from prefect.task_runners import ThreadPoolTaskRunner

from flows.tasks import assemble_curated, pack, plan_curate, process_batch
from notepipe.config import Config, load_config
from notepipe.curate import Assembly, CurateReport, WorkItem, process_all
from notepipe.raw_store import folder_lock

if TYPE_CHECKING:
    from distributed import Client, LocalCluster

# A Prefect task costs 0.1-0.3 s of orchestration (state changes through the API), a post 3-6 ms of CPU: a few
# large batches per worker (32 Prefect tasks of 256 posts at 100 MB cost 1.27x on Dask against 1.50x for 8 of
# 1,014). A plain Dask task costs milliseconds, so on Dask smaller batches keep the workers evenly busy to the end.
MIN_BATCH, MAX_BATCH = 8, 2048
TASKS_PER_WORKER, DASK_TASKS_PER_WORKER = 4, 16


def in_other_processes() -> bool:
    """Whether this flow run's task runner is not the thread pool: Dask or Ray, whose workers are processes."""
    context = FlowRunContext.get()
    return context is not None and not isinstance(context.task_runner, ThreadPoolTaskRunner)


def dask_client() -> Client | None:
    """The Dask client of this flow run's task runner when that is prefect-dask's `DaskTaskRunner`, else None."""
    context = FlowRunContext.get()
    if context is None or isinstance(context.task_runner, ThreadPoolTaskRunner):  # (no import of Dask for these)
        return None
    try:
        from prefect_dask.task_runners import DaskTaskRunner
    except ImportError:  # the `dask` extra is not installed, so this runner is not Dask's
        return None
    return context.task_runner.client if isinstance(context.task_runner, DaskTaskRunner) else None


def pick_batch_size(todo: int, workers: int, per_worker: int = TASKS_PER_WORKER) -> int:
    """Posts per task: `per_worker` tasks per worker, so workers stay balanced as batches finish unevenly."""
    return max(MIN_BATCH, min(MAX_BATCH, math.ceil(todo / (per_worker * max(1, workers)))))


def as_prefect_tasks(batches: list[list[WorkItem]], config: Config) -> dict[PrefectFuture[int], list[WorkItem]]:
    """Submit each batch as a `process_batch` task run to the flow's task runner; each future with its batch."""
    return {process_batch.submit(pack(batch), config, label=f"{i + 1}/{len(batches)}"): batch
            for i, batch in enumerate(batches)}


def as_dask_tasks(client: Client, batches: list[list[WorkItem]], config: Config) -> Iterator[list[WorkItem]]:
    """Run each batch on the cluster as a plain Dask task (`process_all`, which imports no Prefect); yield the
    batches as they complete. A Prefect task run per batch would cost each worker 0.1-0.16 s of CPU (a new API
    client and settings per run) and the flow about as much again, all taken from the cores the batches need."""
    from distributed import as_completed as completed

    futures = {client.submit(process_all, batch, config.raw_dir, config.curated_dir, pure=False, retries=1): batch
               for batch in batches}
    # distributed has no annotations
    for future in completed(list(futures), loop=client.loop):  # type: ignore[no-untyped-call]
        future.result()  # a batch that failed twice fails the run here, before curated/ is written
        yield futures[future]


def completed_elsewhere(batches: list[list[WorkItem]], config: Config,
                        client: Client | None) -> Iterator[list[WorkItem]]:
    """Run the batches in other processes, yielding each as it completes: as Dask tasks when the flow's runner has
    a Dask `client`, else as Prefect task runs (Ray, or any other process-based runner)."""
    if client is not None:
        yield from as_dask_tasks(client, batches, config)
        return
    futures = as_prefect_tasks(batches, config)
    for future in as_completed(list(futures)):
        future.result()
        yield futures[future]


# Processing is CPU-bound Python and the tokenizers are per-process objects (a MeCab tagger is not meant to be
# shared across threads), so on the default runner batches run one at a time; parallelism comes from a Dask
# (or Ray) runner with worker processes. Measured: 8 threads were 1.5x slower than one (GIL contention).
# prefect types `task_runner` as TaskRunner[PrefectFuture[Any]], which no runner class is (the parameter is invariant)
@flow(name="notepipe-curate", log_prints=False,
      task_runner=ThreadPoolTaskRunner(max_workers=1))  # type: ignore[arg-type]
def curate(config_path: str | None = None, batch_size: int | None = None, workers: int = 2) -> dict[str, object]:
    """Rebuild curated/ from raw/, re-processing only changed posts (`batch_size` None: chosen for `workers`)."""
    logger = get_run_logger()
    config = load_config(config_path)
    with folder_lock(config.curated_dir):
        planned = plan_curate(config)
        client = dask_client() if planned.todo else None  # (asking for it starts the runner's cluster)
        if client is not None:  # the cluster's own count: `workers` only sizes a cluster this flow starts
            workers = len(client.nthreads()) or workers  # type: ignore[no-untyped-call]  # distributed: no annotations
        size = batch_size or pick_batch_size(len(planned.todo), workers,
                                             TASKS_PER_WORKER if client is None else DASK_TASKS_PER_WORKER)
        batches = [planned.todo[i:i + size] for i in range(0, len(planned.todo), size)]
        logger.info("%d posts, %d to process in %d batches", len(planned.items), len(planned.todo), len(batches))
        assembly = Assembly(planned, config.curated_dir)
        if in_other_processes():
            # Read entries while the batches run elsewhere: those already cached, then each batch's as it completes.
            assembly.add_cached()
            for done, batch in enumerate(completed_elsewhere(batches, config, client), start=1):
                assembly.add(batch)
                logger.info("batch %d/%d done (%d posts)", done, len(batches), len(batch))
        else:  # a thread of this process: reading now would only fight the batch for the GIL (20 % slower at 100 MB)
            for future in as_prefect_tasks(batches, config):
                future.result()
        report: CurateReport = assemble_curated(assembly)
    logger.info(report.summary())
    create_markdown_artifact(key="curate-summary", markdown=f"```\n{report.summary()}\n```",
                             description="notepipe curate: counts per source and language")
    return report.to_dict()


# One hiding at a time: two that overlapped (clusters started from two threads) could restore each other's hiding.
_MAIN_MODULE_LOCK = threading.Lock()


@contextmanager
def _main_module_hidden() -> Iterator[None]:
    """Processes started by multiprocessing's `spawn` (Dask's default) first import the parent's `__main__`, named
    by its `__spec__` or `__file__`; with neither, they import nothing of it."""
    with _MAIN_MODULE_LOCK:
        main = sys.modules["__main__"]
        saved: dict[str, Any] = {name: vars(main)[name] for name in ("__spec__", "__file__") if name in vars(main)}
        main.__spec__ = None
        vars(main).pop("__file__", None)
        try:
            yield
        finally:
            vars(main).update(saved)


def local_cluster(**cluster_kwargs: Any) -> LocalCluster:
    """A `distributed.LocalCluster` whose worker processes start without importing this process's main module.
    Under `python -m flows.curate` (or a deployment's `python -m prefect.engine`) that module is all of Prefect:
    measured, each worker spent about a second importing it before its first batch, and closing the cluster took
    0.3-0.6 s longer. The workers need nothing from it: the flow sends them `process_all`, which imports no Prefect.
    For `DaskTaskRunner(cluster_class=local_cluster, cluster_kwargs=...)`; a worker the nanny restarts later
    imports the main module again (slower to start, nothing else)."""
    from distributed import LocalCluster

    # Hidden so each spawned worker skips importing this process's main module (all of Prefect); the workers are
    # spawned, and connected, before LocalCluster returns, so the hiding ends with it.
    with _main_module_hidden():
        return LocalCluster(**cluster_kwargs)  # type: ignore[no-untyped-call]  # distributed has no annotations


def run_on(runner: str, config_path: str | None = None, workers: int = 2, batch_size: int | None = None,
           address: str | None = None) -> dict[str, object]:
    """Run `curate` on the default runner, or on Dask: a running cluster at `address` (`tcp://host:8786`),
    else a temporary local cluster of `workers` processes."""
    if runner == "dask":
        from prefect_dask.task_runners import DaskTaskRunner

        dask = (DaskTaskRunner(address=address) if address else
                DaskTaskRunner(cluster_class=local_cluster,
                               cluster_kwargs={"n_workers": workers, "threads_per_worker": 1, "processes": True}))
        on_dask = curate.with_options(task_runner=dask)  # type: ignore[arg-type]  # see the note above `curate`
        return on_dask(config_path=config_path, batch_size=batch_size, workers=workers)
    return curate(config_path=config_path, batch_size=batch_size, workers=workers)


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="Run the notepipe curate flow under Prefect.")
    parser.add_argument("--config", help="notepipe.toml (default: ./notepipe.toml)")
    parser.add_argument("--runner", choices=["default", "dask"], default="default")
    parser.add_argument("--workers", type=int, default=2,
                        help="worker processes of the local Dask cluster the flow starts (default 2)")
    parser.add_argument("--address", help="a running Dask scheduler, e.g. tcp://scheduler:8786 (with --runner dask)")
    args = parser.parse_args()
    print(run_on(args.runner, str(Path(args.config)) if args.config else None, args.workers, address=args.address))
