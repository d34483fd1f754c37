"""raw/: immutable content-addressed snapshots with JSON sidecars, per-source state, and the run lock."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

from filelock import FileLock, Timeout

from notepipe._atomic import atomic_write_bytes, sweep_temp
from notepipe.errors import LockedError
from notepipe.models import ErrorRecord, RawMeta, Source

#: Folders of raw/ that hold fetched snapshots; anything else under raw/ is a local input file.
MANAGED = ("qiita", "hatena", "github")
#: Folders of raw/ that hold the API answers paper resolution received (never inputs of their own).
LOOKUPS = ("arxiv", "openalex")
log = logging.getLogger("notepipe.raw")
STATE_DIR = "_state"
SIDECAR = ".meta.json"
_MAX_COMPONENT = 120


def safe_component(value: str) -> str:
    """One path component from an untrusted id: ASCII only, no separators, never `.`/`..`, bounded length."""
    out = quote(value, safe="-_.~@+=,")
    if not out or out.strip(".") == "" or out.startswith("."):
        out = "_" + out
    if len(out) > _MAX_COMPONENT:
        digest = hashlib.sha256(value.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        out = out[: _MAX_COMPONENT - 17] + "-" + digest
    return out


def utc_now() -> str:
    """The current UTC time as ISO 8601 with microseconds and a `Z` (two versions fetched within one second
    must still order by fetch time: the latest version of a post wins in curate)."""
    return datetime.now(UTC).isoformat(timespec="microseconds").replace("+00:00", "Z")


def _json_bytes(data: Any) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


class RawStore:
    """The landing zone: `raw/<source>/<author>/<id>/<sha256[:16]>.<ext>` plus a `.meta.json` sidecar each."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def _post_dir(self, source: Source, author: str, native_id: str) -> Path:
        path = self.root / source / safe_component(author) / safe_component(native_id)
        if not path.resolve().is_relative_to(self.root.resolve()):  # belt and braces over safe_component
            raise ValueError(f"refusing a raw path outside {self.root}: {source}/{author}/{native_id}")
        return path

    def put(self, data: bytes, *, ext: str, key: str, source: Source, author: str, native_id: str,
            fetched_url: str, url: str | None = None, status: int = 200, etag: str | None = None,
            last_modified: str | None = None, version: str | None = None, media_type: str | None = None,
            fetched_at: str | None = None) -> tuple[RawMeta, bool]:
        """Store one post version. Returns its sidecar and whether it is new (same bytes → no new file)."""
        digest = hashlib.sha256(data).hexdigest()
        folder = self._post_dir(source, author, native_id)
        stem = digest[:16]
        snapshot = folder / f"{stem}.{re.sub(r'[^a-z0-9]', '', ext.lower()) or 'bin'}"
        sidecar = folder / f"{stem}{SIDECAR}"
        if sidecar.exists() and snapshot.exists():
            return RawMeta.model_validate_json(sidecar.read_bytes()), False
        meta = RawMeta(
            key=key, source=source, author=author, native_id=native_id, url=url, fetched_url=fetched_url,
            fetched_at=fetched_at or utc_now(), status=status, etag=etag, last_modified=last_modified,
            version=version, sha256=digest, size=len(data), media_type=media_type,
            path=snapshot.relative_to(self.root).as_posix(),
        )
        # Snapshot first, sidecar last: a sidecar is the commit mark, so a crash between the two leaves an
        # orphan snapshot that the next put() completes and curate ignores.
        atomic_write_bytes(snapshot, data)
        atomic_write_bytes(sidecar, _json_bytes(meta.model_dump(mode="json")))
        return meta, True

    def snapshots(self) -> Iterator[RawMeta]:
        """Every committed snapshot's sidecar, in path order."""
        for source in MANAGED:
            base = self.root / source
            if base.is_dir():
                for sidecar in sorted(base.rglob(f"*{SIDECAR}")):
                    yield RawMeta.model_validate_json(sidecar.read_bytes())

    def local_files(self, suffixes: frozenset[str]) -> list[Path]:
        """Input files under raw/ that are not managed snapshots (e.g. the bundled samples), sorted."""
        out = []
        for path in sorted(self.root.rglob("*")):
            rel = path.relative_to(self.root).parts
            if (path.is_file() and path.suffix.lower() in suffixes and rel[0] not in (*MANAGED, *LOOKUPS, STATE_DIR)
                    and not any(part.startswith(".") for part in rel)):
                out.append(path)
        return out

    def read(self, meta: RawMeta) -> bytes:
        """The snapshot's bytes."""
        return (self.root / meta.path).read_bytes()

    def _state_path(self, name: str) -> Path:
        return self.root / STATE_DIR / f"{safe_component(name)}.json"

    def load_state(self, name: str) -> dict[str, Any]:
        """Saved per-source state (cursor, ETags, last seen versions); empty if none yet."""
        path = self._state_path(name)
        return json.loads(path.read_bytes()) if path.exists() else {}

    def save_state(self, name: str, state: dict[str, Any]) -> None:
        """Atomically replace a source's state."""
        atomic_write_bytes(self._state_path(name), _json_bytes(state))

    def fetch_errors(self) -> list[ErrorRecord]:
        """The errors of each source's latest fetch (kept in its state), for curated/errors.jsonl."""
        out = []
        for path in sorted((self.root / STATE_DIR).glob("*.json")):
            try:
                last = json.loads(path.read_bytes()).get("last_run") or {}
                out += [ErrorRecord.model_validate(e) for e in last.get("errors", [])]
            except (OSError, ValueError, AttributeError):  # a damaged state file: its source re-fetches anyway
                log.warning("cannot read %s; its fetch errors are not listed", path)
        return out

    def lock(self, timeout: float = 0) -> AbstractContextManager[None]:
        """Hold `raw/.lock` for a run; a second run on the same raw/ waits `timeout` s, then refuses."""
        return folder_lock(self.root, timeout)


@contextmanager
def folder_lock(folder: str | Path, timeout: float = 0) -> Iterator[None]:
    """Hold `<folder>/.lock`: one writer per folder at a time; others wait `timeout` s, then refuse."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    lock = FileLock(folder / ".lock", timeout=timeout)
    try:
        lock.acquire()
    except Timeout as exc:
        raise LockedError(
            f"another notepipe run is using {folder} (lock file {folder / '.lock'}); wait for it to finish"
        ) from exc
    try:
        swept = sweep_temp(folder)  # we are the only writer now: any temporary file is a killed run's leftover
        if swept:
            log.warning("removed %d temporary file(s) an interrupted run left in %s", swept, folder)
        yield
    finally:
        lock.release()
