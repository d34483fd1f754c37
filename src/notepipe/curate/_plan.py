"""Planning: the latest verified version of each post plus every local file, and which of them miss the cache."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from notepipe.curate._cache import cache_key, entry_path, pipeline_version
from notepipe.models import ErrorRecord, RawMeta
from notepipe.normalize import MAX_INPUT_BYTES, SUFFIXES, escapes, shown
from notepipe.raw_store import MANAGED, SIDECAR, RawStore


@dataclass(frozen=True, slots=True)
class WorkItem:
    """One input to process: small and picklable, so it can be shipped to another process."""

    rel: str  # the input file, relative to raw/ (posix)
    source_path: str  # `<raw dir name>/<rel>`: what records and errors name
    sha256: str  # of the input bytes (the sidecar's, verified, for a snapshot)
    cache: str  # the cache entry, relative to the curated folder
    meta: dict[str, Any] | None = None  # the snapshot's sidecar (RawMeta as JSON); None for a local file

    @property
    def key(self) -> str:
        """The post key for a snapshot, the source path for a local file."""
        return str(self.meta["key"]) if self.meta is not None else self.source_path


@dataclass(slots=True)
class Plan:
    """What a curate run covers: every input in a stable order, the cache misses, and inputs refused up front."""

    raw_dir: str
    version: str
    items: list[WorkItem] = field(default_factory=list)
    todo: list[WorkItem] = field(default_factory=list)
    errors: list[ErrorRecord] = field(default_factory=list)
    older_versions: int = 0  # snapshots superseded by a later version of the same post (left in raw/)

    @property
    def inputs(self) -> int:
        """Inputs considered: planned items plus those refused at planning (bad sidecar, failed verify)."""
        return len(self.items) + len(self.errors)


def when(stamp: str | None) -> tuple[int, float, str]:
    """Sort key for an ISO 8601 time: None first, then by instant (naive = UTC), the raw string last."""
    if stamp is None:
        return (0, 0.0, "")
    try:
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        return (1, float("-inf"), stamp)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return (1, parsed.timestamp(), stamp)


def file_sha256(path: Path) -> str:
    """sha256 of a file, read in chunks."""
    with path.open("rb") as fh:
        return hashlib.file_digest(fh, "sha256").hexdigest()


def _latest(raw_dir: Path, prefix: str, errors: list[ErrorRecord]) -> tuple[list[RawMeta], int]:
    """The newest sidecar per post key (ties → greater sha256), sorted by key; plus how many were older."""
    best: dict[str, RawMeta] = {}
    seen = 0
    for source in MANAGED:
        base = raw_dir / source
        if not base.is_dir():
            continue
        for sidecar in sorted(base.rglob(f"*{SIDECAR}")):
            try:
                meta = RawMeta.model_validate_json(sidecar.read_bytes())
            except (OSError, ValueError) as exc:
                errors.append(ErrorRecord(
                    source_path=f"{prefix}/{sidecar.relative_to(raw_dir).as_posix()}", stage="read",
                    error=type(exc).__name__,
                    message=f"unreadable sidecar {sidecar.name}: {str(exc).splitlines()[0]}; its snapshot is skipped",
                ))
                continue
            seen += 1
            held = best.get(meta.key)
            if held is None or (when(meta.fetched_at), meta.sha256) > (when(held.fetched_at), held.sha256):
                best[meta.key] = meta
    return [best[key] for key in sorted(best)], seen - len(best)


def _verify(raw_dir: Path, meta: RawMeta, source_path: str) -> ErrorRecord | None:
    """None when the snapshot file exists inside raw/ and hashes to the sidecar's sha256."""
    path = raw_dir / meta.path
    if not path.resolve().is_relative_to(raw_dir.resolve()):
        return ErrorRecord(source_path=source_path, url=meta.url, stage="verify", error="UnsafePath",
                           message=f"sidecar of {meta.key} points outside raw/: {meta.path}")
    try:
        actual = file_sha256(path)
    except OSError as exc:
        return ErrorRecord(source_path=source_path, url=meta.url, stage="verify", error="MissingSnapshot",
                           message=f"snapshot {source_path} of {meta.key} cannot be read "
                                   f"({type(exc).__name__}); its sidecar expects sha256 {meta.sha256}")
    if actual != meta.sha256:
        return ErrorRecord(
            source_path=source_path, url=meta.url, stage="verify", error="ChecksumMismatch",
            message=f"snapshot {source_path} of {meta.key} has sha256 {actual} but its sidecar says "
                    f"{meta.sha256}: the file changed after it was stored (raw/ is immutable); post skipped",
        )
    return None


def _too_large(path: Path, source_path: str, max_bytes: int) -> str | None:
    size = path.stat().st_size
    if size <= max_bytes:
        return None
    return (f"{source_path} is {size:,} bytes, larger than max_bytes={max_bytes:,}: not read (raise [http] "
            "max_bytes in the config to read it)")


def plan(raw_dir: str | Path, curated_dir: str | Path, max_bytes: int = MAX_INPUT_BYTES) -> Plan:
    """Read sidecars, verify the latest snapshots, hash local files, and find the cache misses. A local file that
    links outside raw/ or is larger than `max_bytes` becomes an error line instead."""
    raw_dir, curated_dir = Path(raw_dir), Path(curated_dir)
    version = pipeline_version()
    prefix = raw_dir.resolve().name or "raw"
    out = Plan(raw_dir=str(raw_dir), version=version)
    if raw_dir.is_dir():
        out.errors.extend(RawStore(raw_dir).fetch_errors())  # what the latest fetch of each source could not get
        metas, out.older_versions = _latest(raw_dir, prefix, out.errors)
        for meta in metas:
            source_path = f"{prefix}/{meta.path}"
            problem = _verify(raw_dir, meta, source_path)
            if problem is not None:
                out.errors.append(problem)
                continue
            data = meta.model_dump(mode="json")
            key = cache_key(meta.sha256, source_path, data)
            out.items.append(WorkItem(rel=meta.path, source_path=source_path, sha256=meta.sha256,
                                      cache=entry_path(meta.sha256, key, version), meta=data))
        for path in RawStore(raw_dir).local_files(SUFFIXES):
            rel = path.relative_to(raw_dir).as_posix()
            source_path = shown(f"{prefix}/{rel}")  # a name with bytes that are not UTF-8 shows them as \xNN
            try:
                refused = escapes(path, raw_dir, source_path) or _too_large(path, source_path, max_bytes)
                if refused:
                    out.errors.append(ErrorRecord(source_path=source_path, stage="read", error="InputRefusedError",
                                                  message=refused))
                    continue
                digest = file_sha256(path)
            except OSError as exc:
                out.errors.append(ErrorRecord(source_path=source_path, stage="read", error=type(exc).__name__,
                                              message=f"cannot read {source_path}: {exc.strerror or exc}"))
                continue
            key = cache_key(digest, source_path, None)
            out.items.append(WorkItem(rel=rel, source_path=source_path, sha256=digest,
                                      cache=entry_path(digest, key, version)))
    out.todo = [item for item in out.items if not (curated_dir / item.cache).is_file()]
    return out
