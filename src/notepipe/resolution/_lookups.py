"""raw/arxiv/ and raw/openalex/: every API answer resolution received, immutable, with a JSON sidecar each."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from notepipe._atomic import atomic_write_bytes
from notepipe.errors import MalformedResponseError
from notepipe.models import ErrorRecord
from notepipe.raw_store import SIDECAR, utc_now
from notepipe.resolution._arxiv_api import parse_feed
from notepipe.resolution._canonical import Canonical, choose, normalized_title
from notepipe.resolution._openalex_api import parse_works

Service = Literal["arxiv", "openalex"]
SERVICES: tuple[Service, ...] = ("arxiv", "openalex")
_EXT = {"arxiv": "xml", "openalex": "json"}
log = logging.getLogger("notepipe.resolution")


class LookupMeta(BaseModel):
    """The sidecar of one stored API answer: what was asked, when, and how to check the bytes."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    service: Service
    keys: list[str] = Field(description="what the answer covers: the arXiv IDs asked, or the normalized title")
    query: str = Field(description="the `id_list`, or the title search text, as sent")
    fetched_url: str = Field(description="the URL requested, without the mailto parameter")
    fetched_at: str = Field(description="UTC, ISO 8601 with microseconds")
    status: int
    sha256: str
    size: int
    media_type: str | None = None
    path: str = Field(description="the answer file, relative to raw/")


def _json_bytes(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


class LookupStore:
    """`raw/<service>/<query hash[:2]>/<query hash[:16]>/<fetched_at>-<sha256[:16]>.<ext>` plus its sidecar.

    One folder per question (an ID batch, or a title): every answer to it is kept, named by fetch time, so asking
    again (a miss after 30 days, `--refresh`) adds a file and never rewrites one, even when the bytes repeat."""

    def __init__(self, root: str | Path) -> None:
        self.root = Path(root)

    def put(self, service: Service, keys: list[str], query: str, data: bytes, *, fetched_url: str, status: int,
            media_type: str | None, fetched_at: str | None = None) -> LookupMeta:
        """Store one answer (snapshot first, sidecar last: the sidecar is the commit mark)."""
        fetched_at = fetched_at or utc_now()
        asked = hashlib.sha256(json.dumps([service, sorted(keys)], ensure_ascii=False).encode()).hexdigest()
        digest = hashlib.sha256(data).hexdigest()
        stamp = "".join(c for c in fetched_at if c.isalnum())
        folder = self.root / service / asked[:2] / asked[:16]
        snapshot = folder / f"{stamp}-{digest[:16]}.{_EXT[service]}"
        meta = LookupMeta(service=service, keys=keys, query=query, fetched_url=fetched_url, fetched_at=fetched_at,
                          status=status, sha256=digest, size=len(data), media_type=media_type,
                          path=snapshot.relative_to(self.root).as_posix())
        atomic_write_bytes(snapshot, data)
        atomic_write_bytes(folder / f"{snapshot.stem}{SIDECAR}", _json_bytes(meta.model_dump(mode="json")))
        return meta

    def answers(self, service: Service, prefix: str, errors: list[ErrorRecord]) -> list[tuple[LookupMeta, bytes]]:
        """Every stored answer of a service with its verified bytes, oldest first (fetch time, then path).

        An unreadable sidecar or a snapshot whose bytes no longer match it is reported in `errors` and skipped."""
        base = self.root / service
        out: list[tuple[LookupMeta, bytes]] = []
        for sidecar in sorted(base.rglob(f"*{SIDECAR}")) if base.is_dir() else []:
            where = f"{prefix}/{sidecar.relative_to(self.root).as_posix()}"
            try:
                meta = LookupMeta.model_validate_json(sidecar.read_bytes())
                data = (self.root / meta.path).read_bytes()
            except (OSError, ValueError) as exc:
                errors.append(ErrorRecord(source_path=where, stage="resolve", error=type(exc).__name__,
                                          message=f"unreadable stored answer: {str(exc).splitlines()[0]}; skipped"))
                continue
            if hashlib.sha256(data).hexdigest() != meta.sha256:
                errors.append(ErrorRecord(
                    source_path=f"{prefix}/{meta.path}", stage="verify", error="ChecksumMismatch",
                    message=f"stored {service} answer {meta.path} does not match its sidecar's sha256 "
                            "(raw/ is immutable); skipped, and asked again on the next resolve"))
                continue
            out.append((meta, data))
        out.sort(key=lambda pair: (pair[0].fetched_at, pair[0].path))
        return out


@dataclass(slots=True)
class Resolutions:
    """What the stored answers say, latest answer per question winning: arXiv ID → metadata or None (arXiv does
    not know it), normalized title → OpenAlex candidates; and when each question was last answered."""

    arxiv: dict[str, Canonical | None] = field(default_factory=dict)
    titles: dict[str, list[Canonical]] = field(default_factory=dict)
    asked: dict[tuple[Service, str], str] = field(default_factory=dict)

    def for_id(self, arxiv_id: str) -> Canonical | None:
        """arXiv's metadata for an ID, if arXiv knows it."""
        return self.arxiv.get(arxiv_id)

    def for_title(self, title: str, year: int | None) -> Canonical | None:
        """The OpenAlex work that is this title (with the post's year, if given), if exactly one is."""
        candidates = self.titles.get(normalized_title(title))
        return choose(title, year, candidates) if candidates else None


def load_resolutions(raw_dir: str | Path) -> tuple[Resolutions, list[ErrorRecord]]:
    """Read every stored answer under raw/ (offline); errors for stored answers that cannot be used."""
    raw_dir = Path(raw_dir)
    prefix = raw_dir.resolve().name or "raw"
    store = LookupStore(raw_dir)
    out = Resolutions()
    errors: list[ErrorRecord] = []
    for service in SERVICES:
        for meta, data in store.answers(service, prefix, errors):
            try:
                if service == "arxiv":
                    found = parse_feed(data)
                    out.arxiv.update({key: found.get(key) for key in meta.keys})
                else:
                    candidates = parse_works(data)
                    out.titles.update(dict.fromkeys(meta.keys, candidates))
            except MalformedResponseError as exc:  # stored before a parser change? report, never guess
                errors.append(ErrorRecord(source_path=f"{prefix}/{meta.path}", stage="resolve",
                                          error="MalformedResponseError", message=f"stored {service} answer: {exc}"))
                continue
            out.asked.update({(service, key): meta.fetched_at for key in meta.keys})
    return out, errors
