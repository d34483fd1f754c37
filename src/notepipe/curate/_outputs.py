"""Writing curated/: record shards, errors, papers index, their Parquet, schema, card, manifest, replaced together."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from notepipe._atomic import atomic_group
from notepipe.curate._cache import CachedRecord
from notepipe.jsonl import dumps
from notepipe.models import ErrorRecord, Record, Source
from notepipe.reports import tally

SOURCES: tuple[str, ...] = get_args(Source)
RECORDS_DIR = "records"
ERRORS = "errors.jsonl"
PAPERS = "papers.jsonl"
SCHEMA = "schema.json"
CARD = "README.md"
MANIFEST = "manifest.json"


@dataclass(slots=True)
class Written:
    """Which output files a run wrote (in order), which of them changed, and which stale ones it removed."""

    outputs: list[str] = field(default_factory=list)
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def _lines(rows: list[Any]) -> bytes:
    return "".join(dumps(row) + "\n" for row in rows).encode("utf-8")


def _json(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode("utf-8")


def schema_bytes() -> bytes:
    """The Record JSON Schema exactly as `notepipe schema` prints it (and as curated/schema.json is committed)."""
    return (json.dumps(Record.model_json_schema(), ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def describe(data: bytes, rows: int | None = None) -> dict[str, Any]:
    """Size, line count (or for a Parquet file, `rows`) and sha256 of an output's bytes."""
    count = {"lines": data.count(b"\n")} if rows is None else {"rows": rows}
    return {"bytes": len(data), **count, "sha256": hashlib.sha256(data).hexdigest()}


def _listed(manifest: Path) -> dict[str, str]:
    """Path → sha256 of each file the last run's manifest lists (none if it is missing or unreadable)."""
    try:
        return {entry["path"]: entry["sha256"] for entry in json.loads(manifest.read_bytes())["files"]}
    except (OSError, ValueError, KeyError, TypeError):
        return {}


def counts_of(records: list[CachedRecord], errors: list[ErrorRecord], papers: int, inputs: int) -> dict[str, Any]:
    """The manifest's counts (sorted dicts: deterministic)."""
    return {
        "inputs": inputs,
        "records": len(records),
        "errors": len(errors),
        "papers": papers,
        "by_source": tally([r.source for r in records]),
        "by_lang": tally([r.lang for r in records]),
        "errors_by_stage": tally([e.stage for e in errors]),
    }


def write_outputs(curated_dir: Path, *, records: list[CachedRecord], errors: list[ErrorRecord],
                  papers: list[dict[str, Any]], inputs: int, version: str, samples: str | None) -> Written:
    """Write every output from records sorted by id and errors sorted, all replaced together (a failed write
    leaves the previous output whole); then remove shards of vanished sources and Parquet shards no longer made.

    The Parquet files hold the same rows as the JSONL (records in id order across sources), built from the very
    lines written to JSONL, so the two never disagree."""
    # pyarrow loads here, not with the package: curate's worker processes never write outputs
    from notepipe.curate._card import render_card
    from notepipe.curate._parquet import DATA_DIR, RECORDS_PREFIX, Previous, papers_parquet, records_parquet

    written = Written()
    files: dict[str, dict[str, Any]] = {}
    by_source: dict[str, list[bytes]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record.line)
    with atomic_group() as write:
        def put(rel: str, data: bytes, rows: int | None = None) -> None:
            """Stage one output, unless its file already holds exactly these bytes (then it is not touched)."""
            path = curated_dir / rel
            written.outputs.append(rel)
            files[rel] = describe(data, rows)
            if not (path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data):
                write(path, data)
                written.changed.append(rel)

        for source in sorted(by_source, key=lambda s: (SOURCES.index(s) if s in SOURCES else len(SOURCES), s)):
            put(f"{RECORDS_DIR}/{source}.jsonl", b"\n".join(by_source[source]) + b"\n")  # never an empty list
        put(ERRORS, _lines(errors))
        put(PAPERS, _lines(papers))
        previous = Previous(curated_dir, _listed(curated_dir / MANIFEST))
        shards = [entry["sha256"].encode() for rel, entry in files.items() if rel.startswith(f"{RECORDS_DIR}/")]
        parquet = records_parquet([record.line for record in records], previous=previous, digest=shards)
        index = papers_parquet(papers, files[PAPERS]["sha256"].encode(), previous=previous)
        for rel, (data, rows) in [*parquet.files.items(), *index.files.items()]:
            put(rel, data, rows)
        put(SCHEMA, schema_bytes())
        counts = counts_of(records, errors, len(papers), inputs)
        put(CARD, render_card(name=curated_dir.resolve().name or "curated", version=version, counts=counts,
                              files=dict(files), samples=samples, papers=papers,
                              months=parquet.months).encode("utf-8"))
        put(MANIFEST, _json({"pipeline_version": version, "counts": counts,
                             "files": [{"path": rel, **entry} for rel, entry in files.items()]}))
    for folder, pattern in ((RECORDS_DIR, "*.jsonl"), (DATA_DIR, f"{RECORDS_PREFIX.removeprefix(DATA_DIR + '/')}*")):
        if (curated_dir / folder).is_dir():
            for stale in sorted((curated_dir / folder).glob(pattern)):
                rel = f"{folder}/{stale.name}"
                if rel not in written.outputs:
                    stale.unlink()
                    written.removed.append(rel)
    return written
