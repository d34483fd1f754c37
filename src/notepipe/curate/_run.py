"""`curate`: plan → process the cache misses (in worker processes with `jobs` > 1) → assemble, under the lock."""

from __future__ import annotations

import logging
import math
import multiprocessing
import os
from collections.abc import Callable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

from notepipe.curate._assemble import Assembly
from notepipe.curate._cache import CachedRecord, prune
from notepipe.curate._plan import Plan, WorkItem, plan
from notepipe.curate._process import process_all as _process_batch  # (by this name, a test swaps it)
from notepipe.curate._process import process_batches
from notepipe.normalize import MAX_INPUT_BYTES
from notepipe.raw_store import folder_lock
from notepipe.reports import CurateReport

_log = logging.getLogger(__name__)

#: Below this many posts to process, worker processes cost more to start (about 1 s each) than they save.
MIN_PARALLEL = 32


def prune_cache(work: Plan, curated_dir: str | Path) -> int:
    """After assemble: drop other pipeline versions' caches and entries no planned input uses; files removed."""
    return prune(Path(curated_dir), {item.cache for item in work.items}, work.version)


def _in_processes(todo: list[WorkItem], raw_dir: str, curated_dir: str, jobs: int) -> Iterator[list[WorkItem]]:
    """Process `todo` in `jobs` worker processes; yield each batch as it completes. Batches are small (about 16
    per worker) so progress moves steadily; at most 2 per worker are queued, so a crash loses little. A pool that
    breaks (a worker killed) stops early: the batches it did not finish are built by the assembly instead."""
    size = max(1, min(256, math.ceil(len(todo) / (16 * jobs))))
    batches = [todo[i:i + size] for i in range(0, len(todo), size)]
    # spawn, not fork: a fresh interpreter per worker, whatever threads or analyzers this process holds
    with ProcessPoolExecutor(jobs, mp_context=multiprocessing.get_context("spawn")) as pool:
        pending: dict[Future[int], list[WorkItem]] = {}
        queue = iter(batches)
        try:
            while True:
                while len(pending) < 2 * jobs and (batch := next(queue, None)) is not None:
                    pending[pool.submit(_process_batch, batch, raw_dir, curated_dir)] = batch
                if not pending:
                    return
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    future.result()  # an OSError writing an entry (a full disk) fails the run, as serially
                    yield pending.pop(future)
        except BrokenProcessPool as exc:
            left = sum(len(b) for b in pending.values()) + sum(len(b) for b in queue)
            _log.warning("curate: a worker process died (%s); building the %d posts it left here, in this process",
                         exc, left)
        finally:  # stopped early (an error, or the caller gave up): do not start what is still queued
            for future in pending:
                future.cancel()


def _batches(work: Plan, raw_dir: str | Path, curated_dir: Path, jobs: int) -> Iterator[list[WorkItem]]:
    if jobs > 1 and len(work.todo) >= MIN_PARALLEL:
        yield from _in_processes(work.todo, str(raw_dir), str(curated_dir), jobs)
        return
    for batch in process_batches(work.todo, raw_dir, curated_dir):
        yield [item for item, _ in batch]


def curate(raw_dir: str | Path, curated_dir: str | Path, *, progress: Callable[[int, int], None] | None = None,
           lock_timeout: float = 0, jobs: int = 1, max_bytes: int = MAX_INPUT_BYTES) -> CurateReport:
    """Rebuild `curated_dir` from `raw_dir` offline, re-processing only inputs whose cache entry is missing.

    `jobs` > 1 processes them in that many worker processes (0: one per CPU); the output is the same bytes. The
    workers are spawned, so a script that calls this needs the usual `if __name__ == "__main__":` guard.
    `progress(done, total)` is called before the first and after each processed input (or batch of inputs).
    Local files under raw/ larger than `max_bytes` (or linking outside raw/) become error lines.
    Cache entries of other pipeline versions, and of inputs no longer planned, are pruned at the end.
    """
    if jobs < 0:
        raise ValueError(f"jobs={jobs}: a number of worker processes is 0 (one per CPU) or more")
    curated_dir = Path(curated_dir)
    jobs = jobs or os.cpu_count() or 1
    with folder_lock(curated_dir, lock_timeout):
        work = plan(raw_dir, curated_dir, max_bytes)
        total = len(work.todo)
        if progress is not None:
            progress(0, total)
        assembly = Assembly(work, curated_dir)
        done = 0
        for batch in _batches(work, raw_dir, curated_dir, jobs):
            assembly.add(batch)  # read each batch's entries while the workers go on with the next
            done += len(batch)
            if progress is not None:
                progress(done, total)
        report = assembly.finish()
        prune_cache(work, curated_dir)
    return report


def current_records(raw_dir: str | Path, curated_dir: str | Path, *, jobs: int = 1, lock_timeout: float = 0,
                    progress: Callable[[int, int], None] | None = None) -> list[CachedRecord]:
    """The records curate would write (latest per id, sorted by id), without writing outputs: cache misses are
    processed first (in `jobs` processes; `progress(done, total)` as in `curate`), so the curate that follows
    finds them cached."""
    if jobs < 0:
        raise ValueError(f"jobs={jobs}: a number of worker processes is 0 (one per CPU) or more")
    curated_dir = Path(curated_dir)
    jobs = jobs or os.cpu_count() or 1
    with folder_lock(curated_dir, lock_timeout):
        work = plan(raw_dir, curated_dir)
        if progress is not None:
            progress(0, len(work.todo))
        assembly = Assembly(work, curated_dir)
        done = 0
        for batch in _batches(work, raw_dir, curated_dir, jobs):
            assembly.add(batch)
            done += len(batch)
            if progress is not None:
                progress(done, len(work.todo))
        return assembly.records()
