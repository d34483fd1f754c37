"""The run report: counts and output paths, printable for the CLI and JSON-serializable for a Prefect artifact."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any


def _fmt(counts: dict[str, int]) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted(counts.items())) or "-"


@dataclass(slots=True)
class CurateReport:
    """What a curate run did. `processed` + `reused` = planned inputs; errors include refused inputs."""

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
            f"  by source:       {_fmt(self.by_source)}\n"
            f"  by language:     {_fmt(self.by_lang)}\n"
            f"  errors by stage: {_fmt(self.errors_by_stage)}\n"
            f"  changed files:   {', '.join(self.changed) or '-'}"
            + (f"\n  removed files:   {', '.join(self.removed)}" if self.removed else "")
        )
