"""Processing one planned input: build its records (or its error line) and write its cache entry."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from notepipe.curate._cache import write_entry
from notepipe.curate._plan import WorkItem
from notepipe.errors import EmptyInputError, stage_of
from notepipe.models import ErrorRecord, RawMeta, Record
from notepipe.normalize import DraftInput, draft_input, drafted_batches, error_message, finish_input


@dataclass(frozen=True, slots=True)
class WorkResult:
    """What processing one item did: small and picklable, the records themselves are in the cache entry."""

    source_path: str
    cache: str
    records: int
    errors: int
    cached: bool  # False when the input could not be read or verified now: nothing was written
    error: ErrorRecord | None = None  # that uncached problem


def _draft(item: WorkItem, data: bytes) -> DraftInput | ErrorRecord:
    meta = RawMeta.model_validate(item.meta) if item.meta is not None else None
    try:
        return draft_input(data, source_path=item.source_path, meta=meta)
    except Exception as exc:
        return _error_line(item, meta, exc)


def _finish(item: WorkItem, drafted: DraftInput | ErrorRecord) -> tuple[list[Record], list[ErrorRecord]]:
    if isinstance(drafted, ErrorRecord):
        return [], [drafted]
    try:
        records = finish_input(drafted)
        if not records:
            raise EmptyInputError("the input holds no post (an empty list?)")
    except Exception as exc:
        return [], [_error_line(item, drafted.meta, exc)]
    return records, []


def _error_line(item: WorkItem, meta: RawMeta | None, exc: Exception) -> ErrorRecord:
    return ErrorRecord(source_path=item.source_path, url=meta.url if meta is not None else None, stage=stage_of(exc),
                       error=type(exc).__name__, message=error_message(exc, Path(item.source_path)))


def _read(item: WorkItem, raw_dir: str | Path) -> bytes | WorkResult:
    """The input's bytes, or the uncached result of an input that cannot be read or has changed since planned."""
    path = Path(raw_dir) / item.rel
    try:
        data = path.read_bytes()
    except OSError as exc:
        problem = ErrorRecord(source_path=item.source_path, stage="read", error=type(exc).__name__,
                              message=f"cannot read {item.source_path}: {exc.strerror or exc}")
        return WorkResult(item.source_path, item.cache, 0, 1, cached=False, error=problem)
    actual = hashlib.sha256(data).hexdigest()
    if actual != item.sha256:
        problem = ErrorRecord(
            source_path=item.source_path, stage="verify", error="ChecksumMismatch",
            message=f"{item.source_path} has sha256 {actual} but was planned as {item.sha256}: "
                    "it changed during the run; input skipped",
        )
        return WorkResult(item.source_path, item.cache, 0, 1, cached=False, error=problem)
    return data


def _write(item: WorkItem, drafted: DraftInput | ErrorRecord, curated_dir: str | Path) -> WorkResult:
    records, errors = _finish(item, drafted)
    write_entry(Path(curated_dir) / item.cache, records, errors)
    return WorkResult(item.source_path, item.cache, len(records), len(errors), cached=True)


def process(item: WorkItem, raw_dir: str | Path, curated_dir: str | Path) -> WorkResult:
    """Build one input's records and write its cache entry atomically; safe to run in parallel processes."""
    data = _read(item, raw_dir)
    if isinstance(data, WorkResult):
        return data
    return _write(item, _draft(item, data), curated_dir)


def process_batches(items: Iterable[WorkItem], raw_dir: str | Path, curated_dir: str | Path
                    ) -> Iterator[list[tuple[WorkItem, WorkResult]]]:
    """`process` each item, drafting about BATCH_BYTES of input before tokenizing it (see `normalize.BATCH_BYTES`);
    yield each batch's items with their results, in order, once its cache entries are written."""
    def draft(item: WorkItem) -> tuple[DraftInput | ErrorRecord | WorkResult, int]:
        data = _read(item, raw_dir)
        return (data, 0) if isinstance(data, WorkResult) else (_draft(item, data), len(data))

    for batch in drafted_batches(items, draft):
        yield _write_all(batch, curated_dir)


def _write_all(drafted: list[tuple[WorkItem, DraftInput | ErrorRecord | WorkResult]], curated_dir: str | Path
               ) -> list[tuple[WorkItem, WorkResult]]:
    drafted.reverse()
    results: list[tuple[WorkItem, WorkResult]] = []
    while drafted:  # each draft let go once its entry is written
        item, draft = drafted.pop()
        results.append((item, draft if isinstance(draft, WorkResult) else _write(item, draft, curated_dir)))
    return results


def process_all(items: list[WorkItem], raw_dir: str | Path, curated_dir: str | Path) -> int:
    """`process` each item of a batch (in a worker process or task); how many records the batch made."""
    return sum(result.records for batch in process_batches(items, raw_dir, curated_dir) for _, result in batch)
