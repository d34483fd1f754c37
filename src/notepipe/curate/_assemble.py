"""Assembling: read every planned input's cache entry, upsert records by id, and write all outputs."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from notepipe.curate._cache import CachedRecord, read_entry
from notepipe.curate._outputs import counts_of, write_outputs
from notepipe.curate._papers import paper_index
from notepipe.curate._plan import Plan, when
from notepipe.curate._process import process
from notepipe.curate._report import CurateReport
from notepipe.models import ErrorRecord


def _rank(record: CachedRecord) -> tuple[tuple[int, float, str], str, bytes]:
    """Upsert order: latest `fetched_at` (None oldest), then greater source path, then the line itself."""
    return (when(record.fetched_at), record.source_path or "", record.line)


def _superseded(loser: CachedRecord, winner: CachedRecord) -> ErrorRecord:
    return ErrorRecord(
        source_path=loser.source_path, url=loser.url, stage="upsert", error="Superseded",
        message=f"record {loser.id} (fetched_at {loser.fetched_at}) is replaced by the one from "
                f"{winner.source_path} (fetched_at {winner.fetched_at})",
    )


def _error_order(error: ErrorRecord) -> tuple[str, str, str, str, str]:
    return (error.source_path or "", error.url or "", error.stage, error.error, error.message)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Assembling keeps every record's header objects until it ends and makes no reference cycles, so each pass
    of the cyclic collector rescans a growing heap for nothing: 0.5-1.3 s of a 2-3 s assemble at 8,000 posts."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def assemble(plan: Plan, curated_dir: str | Path) -> CurateReport:
    """Read the cache entry of every planned item (rebuilding any that is missing) and write all outputs."""
    with _collector_paused():
        return _assemble(plan, Path(curated_dir))


def _assemble(plan: Plan, curated_dir: Path) -> CurateReport:
    winners: dict[str, CachedRecord] = {}
    losers: list[CachedRecord] = []
    errors = list(plan.errors)
    rebuilt = 0
    todo = {item.cache for item in plan.todo}
    for item in plan.items:
        entry = read_entry(curated_dir / item.cache)
        if entry is None:  # not processed (a failed worker?) or damaged: build it here
            rebuilt += item.cache not in todo
            result = process(item, plan.raw_dir, curated_dir)
            entry = read_entry(curated_dir / item.cache)
            if entry is None:
                errors.append(result.error or ErrorRecord(
                    source_path=item.source_path, stage="process", error="CacheError",
                    message=f"no readable cache entry for {item.source_path} after processing it"))
                continue
        records, entry_errors = entry
        errors.extend(entry_errors)
        for record in records:
            held = winners.get(record.id)
            if held is None:
                winners[record.id] = record
            elif _rank(record) > _rank(held):
                winners[record.id] = record
                losers.append(held)
            else:
                losers.append(record)
    for loser in losers:
        errors.append(_superseded(loser, winners[loser.id]))
    records = [winners[key] for key in sorted(winners)]
    errors.sort(key=_error_order)
    papers = paper_index(records)
    prefix = f"{Path(plan.raw_dir).resolve().name or 'raw'}/samples/"
    samples = prefix if any((r.source_path or "").startswith(prefix) for r in records) else None
    written = write_outputs(curated_dir, records=records, errors=errors, papers=papers, inputs=plan.inputs,
                            version=plan.version, samples=samples)
    processed = len(plan.todo) + rebuilt
    counts = counts_of(records, errors, len(papers), plan.inputs)
    return CurateReport(
        curated_dir=str(curated_dir), pipeline_version=plan.version, inputs=plan.inputs, processed=processed,
        reused=len(plan.items) - processed, records=len(records), errors=len(errors), papers=len(papers),
        superseded=len(losers), by_source=counts["by_source"], by_lang=counts["by_lang"],
        errors_by_stage=counts["errors_by_stage"], outputs=written.outputs, changed=written.changed,
        removed=written.removed,
    )
