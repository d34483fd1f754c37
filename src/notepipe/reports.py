"""What a run did, for people and for Prefect artifacts: the normalize and curate reports, the per-source table of
fetch and resolve reports, and the one way all of them print counts (`key=value, …` sorted by key, `-` if none)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # the tables only read reports; importing sources at run time would load the HTTP client
    from notepipe.sources import SourceReport


def format_counts(counts: Mapping[str, int]) -> str:
    """`a=1, b=2` sorted by key, or `-` when there is nothing to count."""
    return ", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "-"


def tally(values: Iterable[str]) -> dict[str, int]:
    """How often each value occurs, as a dict sorted by value (deterministic when written out)."""
    return dict(sorted(Counter(values).items()))


@dataclass
class NormalizeReport:
    """What a `normalize` run did, counted as its files go by; printed as the end-of-run summary."""

    files: int = 0
    records: int = 0
    errors: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_lang: Counter[str] = field(default_factory=Counter)
    errors_by_stage: Counter[str] = field(default_factory=Counter)
    chars: int = 0

    def summary(self) -> str:
        """A short multi-line, human-readable summary."""
        return (
            f"files={self.files} records={self.records} errors={self.errors} chars={self.chars}\n"
            f"  by source:   {format_counts(self.by_source)}\n"
            f"  by language: {format_counts(self.by_lang)}\n"
            f"  errors by stage: {format_counts(self.errors_by_stage)}"
        )


@dataclass(slots=True)
class CurateReport:
    """What a curate run did. `processed` + `reused` = planned inputs; errors include refused inputs.
    Printable for the CLI and JSON-serializable for a Prefect artifact."""

    curated_dir: str
    pipeline_version: str
    inputs: int = 0
    processed: int = 0  # cache misses built this run
    reused: int = 0  # cache hits
    records: int = 0
    errors: int = 0
    papers: int = 0
    superseded: int = 0  # records that lost the upsert to another input's record with the same id
    by_source: dict[str, int] = field(default_factory=dict)
    by_lang: dict[str, int] = field(default_factory=dict)
    errors_by_stage: dict[str, int] = field(default_factory=dict)
    outputs: list[str] = field(default_factory=list)  # files written or confirmed, relative to curated_dir
    changed: list[str] = field(default_factory=list)  # of those, the ones whose bytes changed
    removed: list[str] = field(default_factory=list)  # stale outputs deleted

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types only."""
        return asdict(self)

    def to_json(self) -> str:
        """The report as indented JSON with sorted keys."""
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=2, sort_keys=True)

    def summary(self) -> str:
        """A short multi-line, human-readable summary."""
        return (
            f"curate → {self.curated_dir} (pipeline {self.pipeline_version})\n"
            f"  inputs={self.inputs} processed={self.processed} reused={self.reused} "
            f"records={self.records} papers={self.papers} errors={self.errors} superseded={self.superseded}\n"
            f"  by source:       {format_counts(self.by_source)}\n"
            f"  by language:     {format_counts(self.by_lang)}\n"
            f"  errors by stage: {format_counts(self.errors_by_stage)}\n"
            f"  changed files:   {', '.join(self.changed) or '-'}"
            + (f"\n  removed files:   {', '.join(self.removed)}" if self.removed else "")
        )


#: The columns of the per-source table, each a field of SourceReport.
SOURCE_COLUMNS = ("source", "status", "new", "updated", "unchanged", "skipped", "failed", "requests")


def source_rows(reports: list[SourceReport]) -> list[dict[str, str | int]]:
    """One dict per source (fetch or resolve report) with the table's columns."""
    return [{c: getattr(r, c) for c in SOURCE_COLUMNS} for r in reports]


def text_table(reports: list[SourceReport]) -> str:
    """An aligned table of source reports plus one line per source that needs attention."""
    if not reports:
        return "no sources configured (add [[sources]] to notepipe.toml, or use `notepipe backfill`)"
    cells = [list(SOURCE_COLUMNS)] + [[str(v) for v in row.values()] for row in source_rows(reports)]
    widths = [max(len(row[i]) for row in cells) for i in range(len(SOURCE_COLUMNS))]
    lines = ["  ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    notes = [f"  {r.source}: {r.status}: {r.message}" for r in reports if r.message]
    notes += [f"  {r.source}: {e.message}" for r in reports for e in r.errors if e.message not in r.message][:20]
    return "\n".join(lines + notes)


def markdown_table(reports: list[SourceReport]) -> str:
    """The same table in markdown, with the attention notes as a list."""
    head = "| " + " | ".join(SOURCE_COLUMNS) + " |\n|" + "---|" * len(SOURCE_COLUMNS) + "\n"
    body = "".join("| " + " | ".join(str(v) for v in row.values()) + " |\n" for row in source_rows(reports))
    notes = "".join(f"\n- **{r.source}** ({r.status}): {r.message}" for r in reports if r.message)
    return head + body + notes
