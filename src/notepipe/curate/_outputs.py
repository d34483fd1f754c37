"""Writing curated/: record shards, errors, papers index, schema, dataset card and manifest, each atomically."""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, get_args

from notepipe._atomic import atomic_write_bytes
from notepipe.curate._cache import CachedRecord
from notepipe.curate._card import render_card
from notepipe.jsonl import dumps
from notepipe.models import ErrorRecord, Record, Source

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


def describe(path: Path) -> dict[str, Any]:
    """Size, line count and sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    size = lines = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 16), b""):
            digest.update(chunk)
            size += len(chunk)
            lines += chunk.count(b"\n")
    return {"bytes": size, "lines": lines, "sha256": digest.hexdigest()}


def _put(curated_dir: Path, rel: str, data: bytes, written: Written) -> None:
    """Write unless the file already holds exactly these bytes (an unchanged output is not touched)."""
    path = curated_dir / rel
    written.outputs.append(rel)
    if path.is_file() and path.stat().st_size == len(data) and path.read_bytes() == data:
        return
    atomic_write_bytes(path, data)
    written.changed.append(rel)


def counts_of(records: list[CachedRecord], errors: list[ErrorRecord], papers: int, inputs: int) -> dict[str, Any]:
    """The manifest's counts (sorted dicts: deterministic)."""
    def tally(values: list[str]) -> dict[str, int]:
        return dict(sorted(Counter(values).items()))

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
    """Write every output from records sorted by id and errors sorted; remove shards of vanished sources."""
    written = Written()
    by_source: dict[str, list[str]] = {}
    for record in records:
        by_source.setdefault(record.source, []).append(record.line)
    for source in sorted(by_source, key=lambda s: (SOURCES.index(s) if s in SOURCES else len(SOURCES), s)):
        _put(curated_dir, f"{RECORDS_DIR}/{source}.jsonl", "".join(f"{line}\n" for line in by_source[source])
             .encode("utf-8"), written)
    shard_dir = curated_dir / RECORDS_DIR
    if shard_dir.is_dir():
        for stale in sorted(shard_dir.glob("*.jsonl")):
            rel = f"{RECORDS_DIR}/{stale.name}"
            if rel not in written.outputs:
                stale.unlink()
                written.removed.append(rel)
    _put(curated_dir, ERRORS, _lines(errors), written)
    _put(curated_dir, PAPERS, _lines(papers), written)
    _put(curated_dir, SCHEMA, schema_bytes(), written)
    counts = counts_of(records, errors, len(papers), inputs)
    files = {rel: describe(curated_dir / rel) for rel in written.outputs}
    card = render_card(name=curated_dir.resolve().name or "curated", version=version, counts=counts, files=files,
                       samples=samples)
    _put(curated_dir, CARD, card.encode("utf-8"), written)
    files[CARD] = describe(curated_dir / CARD)
    manifest = {
        "pipeline_version": version,
        "counts": counts,
        "files": [{"path": rel, **entry} for rel, entry in files.items()],
    }
    _put(curated_dir, MANIFEST, _json(manifest), written)
    return written
