"""Assembling: read every planned input's cache entry, upsert records by id, and write all outputs."""

from __future__ import annotations

import dataclasses
import gc
import json
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from notepipe.curate._cache import CachedRecord, read_entry
from notepipe.curate._outputs import counts_of, write_outputs
from notepipe.curate._papers import PaperIndex, index_papers
from notepipe.curate._plan import Plan, WorkItem, when
from notepipe.curate._process import process
from notepipe.models import ErrorRecord
from notepipe.reports import CurateReport
from notepipe.resolution._lookups import load_resolutions


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


# A record line is compact JSON in Record's field order, so its papers list is exactly the bytes between these two
# markers (a `"` inside a string is always escaped, so neither marker can occur inside a value).
_PAPERS_START, _PAPERS_END = b',"papers":', b',"arxiv_ids":'


def with_canonical(record: CachedRecord, index: PaperIndex) -> CachedRecord:
    """The record with each paper's `canonical_title` and `canonical_arxiv_id` set from the index's resolutions.

    The cache holds records as processed (both null): resolution is applied here, when assembling, so a new
    resolve answer changes the output without re-processing any post. Only the papers list of the line is
    re-serialized (as json.dumps writes a Record's JSON), the rest of its bytes are kept."""
    papers = []
    for paper in record.papers:
        found = index.canonical_of(paper)
        title, arxiv_id = (found.title, found.arxiv_id) if found is not None else (None, None)
        same = (title, arxiv_id) == (paper.canonical_title, paper.canonical_arxiv_id)
        papers.append(paper if same else
                      paper.model_copy(update={"canonical_title": title, "canonical_arxiv_id": arxiv_id}))
    if all(new is old for new, old in zip(papers, record.papers, strict=True)):
        return record
    start = record.line.find(_PAPERS_START)
    end = record.line.find(_PAPERS_END, start)
    if start < 0 or end < 0:
        raise ValueError(f"record {record.id}: its cached line has no papers list where Record puts it")
    listed = json.dumps([p.model_dump(mode="json") for p in papers], ensure_ascii=False, separators=(",", ":"))
    line = record.line[:start + len(_PAPERS_START)] + listed.encode("utf-8") + record.line[end:]
    return dataclasses.replace(record, papers=tuple(papers), line=line)


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


class Assembly:
    """One assemble in progress: the cache entries read so far, upserted by id, and the errors met.

    `add` reads entries as their posts are processed (a flow feeds it each batch as the batch completes, so on a
    multi-process runner the reading overlaps the processing); `finish` reads whatever was not added yet and
    writes every output. The outputs depend only on the plan and the entries, never on the order of the adds.
    """

    def __init__(self, plan: Plan, curated_dir: str | Path) -> None:
        self.plan = plan
        self.curated_dir = Path(curated_dir)
        self._winners: dict[str, CachedRecord] = {}
        self._losers: list[CachedRecord] = []
        self._errors = list(plan.errors)
        self._rebuilt = 0
        self._todo = {item.cache for item in plan.todo}
        self._done: set[str] = set()

    def add(self, items: Iterable[WorkItem]) -> None:
        """Read the entries of these planned items (an entry already read is skipped; a missing one is built)."""
        with _collector_paused():
            for item in items:
                if item.cache not in self._done:
                    self._done.add(item.cache)
                    self._upsert(item)

    def add_cached(self) -> None:
        """Read the entries of the planned items that needed no processing (the cache hits)."""
        self.add(item for item in self.plan.items if item.cache not in self._todo)

    def _upsert(self, item: WorkItem) -> None:
        entry = read_entry(self.curated_dir / item.cache)
        if entry is None:  # not processed (a failed worker?) or damaged: build it here
            self._rebuilt += item.cache not in self._todo
            result = process(item, self.plan.raw_dir, self.curated_dir)
            entry = read_entry(self.curated_dir / item.cache)
            if entry is None:
                self._errors.append(result.error or ErrorRecord(
                    source_path=item.source_path, stage="process", error="CacheError",
                    message=f"no readable cache entry for {item.source_path} after processing it"))
                return
        records, errors = entry
        self._errors.extend(errors)
        winners = self._winners
        for record in records:
            held = winners.get(record.id)
            if held is None:
                winners[record.id] = record
            elif _rank(record) > _rank(held):
                winners[record.id] = record
                self._losers.append(held)
            else:
                self._losers.append(record)

    def records(self) -> list[CachedRecord]:
        """Read every planned entry not added yet; the winning record of each id, sorted by id (as processed:
        resolution not applied)."""
        self.add(self.plan.items)
        return [self._winners[key] for key in sorted(self._winners)]

    def finish(self) -> CurateReport:
        """Read every planned entry not added yet (in plan order), then write all outputs; returns the report."""
        self.add(self.plan.items)
        with _collector_paused():
            return self._write()

    def _write(self) -> CurateReport:
        plan, curated_dir = self.plan, self.curated_dir
        resolutions, stored_errors = load_resolutions(plan.raw_dir)  # offline: the answers resolve kept in raw/
        errors = self._errors + stored_errors + [_superseded(loser, self._winners[loser.id]) for loser in self._losers]
        records = [self._winners[key] for key in sorted(self._winners)]
        errors.sort(key=_error_order)
        index = index_papers(records, resolutions)
        papers = index.rows
        records = [with_canonical(record, index) for record in records]
        prefix = f"{Path(plan.raw_dir).resolve().name or 'raw'}/samples/"
        samples = prefix if any((r.source_path or "").startswith(prefix) for r in records) else None
        written = write_outputs(curated_dir, records=records, errors=errors, papers=papers, inputs=plan.inputs,
                                version=plan.version, samples=samples)
        processed = len(plan.todo) + self._rebuilt
        counts = counts_of(records, errors, len(papers), plan.inputs)
        return CurateReport(
            curated_dir=str(curated_dir), pipeline_version=plan.version, inputs=plan.inputs, processed=processed,
            reused=len(plan.items) - processed, records=len(records), errors=len(errors), papers=len(papers),
            superseded=len(self._losers), by_source=counts["by_source"], by_lang=counts["by_lang"],
            errors_by_stage=counts["errors_by_stage"], outputs=written.outputs, changed=written.changed,
            removed=written.removed,
        )


def assemble(plan: Plan, curated_dir: str | Path) -> CurateReport:
    """Read the cache entry of every planned item (rebuilding any that is missing) and write all outputs."""
    return Assembly(plan, curated_dir).finish()
