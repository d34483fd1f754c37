"""`curate`: plan → process the cache misses → assemble, holding the curated folder's lock."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from notepipe.curate._assemble import assemble
from notepipe.curate._cache import prune
from notepipe.curate._plan import Plan, plan
from notepipe.curate._process import process
from notepipe.curate._report import CurateReport
from notepipe.raw_store import folder_lock


def prune_cache(work: Plan, curated_dir: str | Path) -> int:
    """After assemble: drop other pipeline versions' caches and entries no planned input uses; files removed."""
    return prune(Path(curated_dir), {item.cache for item in work.items}, work.version)


def curate(raw_dir: str | Path, curated_dir: str | Path, *, progress: Callable[[int, int], None] | None = None,
           lock_timeout: float = 0) -> CurateReport:
    """Rebuild `curated_dir` from `raw_dir` offline, re-processing only inputs whose cache entry is missing.

    `progress(done, total)` is called before the first and after each processed input. Cache entries of
    other pipeline versions, and of inputs no longer planned, are pruned at the end.
    """
    curated_dir = Path(curated_dir)
    with folder_lock(curated_dir, lock_timeout):
        work = plan(raw_dir, curated_dir)
        total = len(work.todo)
        if progress is not None:
            progress(0, total)
        for done, item in enumerate(work.todo, start=1):
            process(item, raw_dir, curated_dir)
            if progress is not None:
                progress(done, total)
        report = assemble(work, curated_dir)
        prune_cache(work, curated_dir)
    return report
