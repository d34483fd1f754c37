"""The per-input cache under `curated/.cache/<pipeline version>/`: one atomic JSONL entry per input."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from notepipe import _version
from notepipe._atomic import atomic_write_bytes
from notepipe.jsonl import dumps
from notepipe.models import ErrorRecord, Record

CACHE_DIR = ".cache"
#: Sidecar fields that change the record built from the same bytes (id, site fields, charset, fetched_at).
HINT_FIELDS = ("key", "source", "author", "url", "fetched_at", "media_type")


def pipeline_version() -> str:
    """The running pipeline version, read at call time (so a bump, or a test's monkeypatch, is seen)."""
    return _version.PIPELINE_VERSION


def cache_key(sha256: str, source_path: str, meta: dict[str, Any] | None) -> str:
    """Hash of everything an entry depends on besides the pipeline version: bytes, source path and hints."""
    hints = {name: meta.get(name) for name in HINT_FIELDS} if meta is not None else None
    blob = json.dumps({"sha256": sha256, "source_path": source_path, "hints": hints}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def entry_path(sha256: str, key: str, version: str) -> str:
    """An entry's path relative to the curated folder: `.cache/<version>/<sha256[:2]>/<key>.jsonl`."""
    return f"{CACHE_DIR}/{version}/{sha256[:2]}/{key}.jsonl"


def write_entry(path: Path, records: Iterable[Record], errors: Iterable[ErrorRecord]) -> None:
    """Atomically write one entry: a `record` line per record, then an `error` line per error."""
    lines = [dumps({"kind": "record", "record": r.model_dump(mode="json")}) for r in records]
    lines += [dumps({"kind": "error", "error": e.model_dump(mode="json")}) for e in errors]
    atomic_write_bytes(path, "".join(line + "\n" for line in lines).encode("utf-8"))


def read_entry(path: Path) -> tuple[list[Record], list[ErrorRecord]] | None:
    """An entry's records and errors, or None when it is missing or unreadable (then it is rebuilt)."""
    records: list[Record] = []
    errors: list[ErrorRecord] = []
    try:
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                if row["kind"] == "record":
                    records.append(Record.model_validate(row["record"]))
                elif row["kind"] == "error":
                    errors.append(ErrorRecord.model_validate(row["error"]))
                else:
                    return None
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return (records, errors) if records or errors else None


def prune(curated_dir: Path, keep: set[str], version: str) -> int:
    """Drop other pipeline versions' caches and this version's entries not in `keep`; returns files removed."""
    root = curated_dir / CACHE_DIR
    removed = 0
    if not root.is_dir():
        return 0
    for folder in sorted(root.iterdir()):
        if folder.name != version:
            if folder.is_dir():
                removed += sum(1 for p in folder.rglob("*") if p.is_file())
                shutil.rmtree(folder)
            else:
                folder.unlink()
                removed += 1
    current = root / version
    if current.is_dir():
        for path in sorted(current.rglob("*")):
            if path.is_file() and path.relative_to(curated_dir).as_posix() not in keep:
                path.unlink()
                removed += 1
        for sub in sorted(current.iterdir()):
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()
    return removed
