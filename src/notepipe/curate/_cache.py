"""The per-input cache under `curated/.cache/<pipeline version>.e<format>/`: one atomic entry file per input."""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_type_hints

from pydantic import BaseModel, ConfigDict, create_model

from notepipe import _version
from notepipe._atomic import atomic_write_bytes
from notepipe.jsonl import dumps
from notepipe.models import ErrorRecord, Paper, Record

CACHE_DIR = ".cache"
#: Entry layout version, part of the cache folder's name: a new layout never reads an old one's entries.
ENTRY_FORMAT = 4
#: Sidecar fields that change the record built from the same bytes (id, site fields, charset, fetched_at, and
#: the version: a Hatena entry's updated_at).
HINT_FIELDS = ("key", "source", "author", "url", "fetched_at", "media_type", "version")


def pipeline_version() -> str:
    """The running pipeline version, read at call time (so a bump, or a test's monkeypatch, is seen)."""
    return _version.PIPELINE_VERSION


def cache_key(sha256: str, source_path: str, meta: dict[str, Any] | None) -> str:
    """Hash of everything an entry depends on besides the pipeline version: bytes, source path and hints."""
    hints = {name: meta.get(name) for name in HINT_FIELDS} if meta is not None else None
    blob = json.dumps({"sha256": sha256, "source_path": source_path, "hints": hints}, sort_keys=True)
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def cache_folder(version: str) -> str:
    """This pipeline version's cache folder name: the version plus the entry layout."""
    return f"{version}.e{ENTRY_FORMAT}"


def entry_path(sha256: str, key: str, version: str) -> str:
    """An entry's path relative to the curated folder: `.cache/<version>.e<format>/<sha256[:2]>/<key>.jsonl`."""
    return f"{CACHE_DIR}/{cache_folder(version)}/{sha256[:2]}/{key}.jsonl"


@dataclass(frozen=True, slots=True)
class CachedRecord:
    """A record as assembling needs it: the fields it sorts, upserts, counts and indexes by, plus its output line
    exactly as written, UTF-8 bytes without the newline (so assembling neither decodes, re-validates nor
    re-serializes the record)."""

    id: str
    source: str
    lang: str
    url: str | None
    fetched_at: str | None
    source_path: str | None
    papers: tuple[Paper, ...]
    line: bytes


# The JSON before a record line's tab: CachedRecord's fields but the line, parsed and checked in one call.
_FIELDS = {name: hint for name, hint in get_type_hints(CachedRecord).items() if name != "line"}
# (mypy cannot match `create_model`'s overloads against field definitions built at import time.)
_Header = create_model(  # type: ignore[call-overload]
    "_Header", __config__=ConfigDict(extra="forbid", frozen=True, strict=True), kind=(Literal["record"], ...),
    **{name: (hint, ...) for name, hint in _FIELDS.items()})


class _Error(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["error"]
    error: ErrorRecord


class _End(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    kind: Literal["end"]
    records: int
    errors: int
    sha256: str  # of every byte before the end line


_HEADER = tuple(name for name in _FIELDS if name != "papers")


# An entry holds one line per record, `<header JSON>\t<record JSON>` (compact JSON never holds a raw tab), then
# one `{"kind": "error", ...}` line per error, then `{"kind": "end", ...}` with both counts and the sha256 of all
# the bytes before it. So a damaged, edited or cut-short entry is rebuilt, never assembled. That check is what
# lets entries skip the fsync (one per input, about a tenth of a curate's time): a power loss costs at most a
# rebuild.
def write_entry(path: Path, records: Iterable[Record], errors: Iterable[ErrorRecord]) -> None:
    """Atomically write one entry: a header and output line per record, an `error` line per error, an `end` line."""
    lines = []
    for r in records:
        header = {"kind": "record", **{name: getattr(r, name) for name in _HEADER},
                  "papers": [p.model_dump(mode="json") for p in r.papers]}
        lines.append(f"{dumps(header)}\t{dumps(r)}\n")
    count = len(lines)
    lines += [dumps({"kind": "error", "error": e.model_dump(mode="json")}) + "\n" for e in errors]
    body = "".join(lines).encode("utf-8")
    end = {"kind": "end", "records": count, "errors": len(lines) - count, "sha256": hashlib.sha256(body).hexdigest()}
    atomic_write_bytes(path, body + dumps(end).encode("utf-8") + b"\n", durable=False)


def read_entry(path: Path) -> tuple[list[CachedRecord], list[ErrorRecord]] | None:
    """An entry's records and errors, or None when it is missing, unreadable or damaged (then it is rebuilt).

    Read as bytes: a record line goes to the output exactly as stored, never decoded (the end line's sha256
    vouches for every byte before it)."""
    records: list[CachedRecord] = []
    errors: list[ErrorRecord] = []
    try:
        data = path.read_bytes()
        if not data.endswith(b"\n"):
            return None
        cut = data.rfind(b"\n", 0, len(data) - 1) + 1
        body = data[:cut]
        end = _End.model_validate_json(data[cut:-1])
        if hashlib.sha256(body).hexdigest() != end.sha256:
            return None
        for raw in body[:-1].split(b"\n") if body else ():
            head, tab, line = raw.partition(b"\t")
            if tab:
                header = _Header.model_validate_json(head)
                records.append(CachedRecord(**{name: getattr(header, name) for name in _HEADER},
                                            papers=header.papers, line=line))
            else:
                errors.append(_Error.model_validate_json(head).error)
    except (OSError, ValueError):
        return None
    if (end.records, end.errors) != (len(records), len(errors)) or not (records or errors):
        return None
    return records, errors


def prune(curated_dir: Path, keep: set[str], version: str) -> int:
    """Drop other pipeline versions' caches and this version's entries not in `keep`; returns files removed."""
    root = curated_dir / CACHE_DIR
    removed = 0
    if not root.is_dir():
        return 0
    for folder in sorted(root.iterdir()):
        if folder.name != cache_folder(version):
            if folder.is_dir():
                removed += sum(1 for p in folder.rglob("*") if p.is_file())
                shutil.rmtree(folder)
            else:
                folder.unlink()
                removed += 1
    current = root / cache_folder(version)
    if current.is_dir():
        for path in sorted(current.rglob("*")):
            if path.is_file() and path.relative_to(curated_dir).as_posix() not in keep:
                path.unlink()
                removed += 1
        for sub in sorted(current.iterdir()):
            if sub.is_dir() and not any(sub.iterdir()):
                sub.rmdir()
    return removed
