"""Processing one planned input: build its records (or its error line) and write its cache entry."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from notepipe.curate._cache import write_entry
from notepipe.curate._plan import WorkItem
from notepipe.errors import EmptyInputError, stage_of
from notepipe.models import ErrorRecord, RawMeta, Record
from notepipe.normalize import error_message, normalize_bytes


@dataclass(frozen=True, slots=True)
class WorkResult:
    """What processing one item did: small and picklable, the records themselves are in the cache entry."""

    source_path: str
    cache: str
    records: int
    errors: int
    cached: bool  # False when the input could not be read or verified now: nothing was written
    error: ErrorRecord | None = None  # that uncached problem


def _build(item: WorkItem, data: bytes) -> tuple[list[Record], list[ErrorRecord]]:
    meta = RawMeta.model_validate(item.meta) if item.meta is not None else None
    url = meta.url if meta is not None else None
    try:
        records = normalize_bytes(data, source_path=item.source_path, meta=meta)
        if not records:
            raise EmptyInputError("the input holds no post (an empty list?)")
    except Exception as exc:
        return [], [ErrorRecord(source_path=item.source_path, url=url, stage=stage_of(exc),
                                error=type(exc).__name__, message=error_message(exc, Path(item.source_path)))]
    return records, []


def process(item: WorkItem, raw_dir: str | Path, curated_dir: str | Path) -> WorkResult:
    """Build one input's records and write its cache entry atomically; safe to run in parallel processes."""
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
    records, errors = _build(item, data)
    del data
    write_entry(Path(curated_dir) / item.cache, records, errors)
    return WorkResult(item.source_path, item.cache, len(records), len(errors), cached=True)


def process_all(items: list[WorkItem], raw_dir: str | Path, curated_dir: str | Path) -> int:
    """`process` each item of a batch (in a worker process or task); how many records the batch made."""
    return sum(process(item, raw_dir, curated_dir).records for item in items)
