"""What every source sync shares: the run context, the per-source report, and storing one post version."""

from __future__ import annotations

import logging
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from notepipe.http import FetchError, PoliteClient, RateLimitedError, UnreachableError
from notepipe.models import ErrorRecord, RawMeta, Source
from notepipe.raw_store import RawStore

log = logging.getLogger("notepipe.sources")

Status = Literal["ok", "unchanged", "paused", "unreachable", "failed"]


@dataclass
class SourceReport:
    """What one source sync did: counts per outcome, requests made, and every error with its URL."""

    source: str
    kind: str
    status: Status = "ok"
    requests: int = 0
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    failed: int = 0
    message: str = ""
    errors: list[ErrorRecord] = field(default_factory=list)

    def fail(self, url: str | None, exc: Exception, stage: str = "fetch") -> None:
        """Record one post (or page) that could not be fetched or stored; the run goes on."""
        self.failed += 1
        self.errors.append(ErrorRecord(url=url, stage=stage, error=type(exc).__name__,  # type: ignore[arg-type]
                                       message=str(exc)))

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready, errors included."""
        data = asdict(self)
        data["errors"] = [e.model_dump(mode="json") for e in self.errors]
        return data


@dataclass
class SyncContext:
    """One source's run: the client, the store, the mode, and the state saved between runs."""

    client: PoliteClient
    store: RawStore
    name: str
    full: bool
    token: str | None
    report: SourceReport
    state: dict[str, Any] = field(default_factory=dict)

    def progress(self, where: str, changed: int, listed: int) -> None:
        """Log one listing page's outcome (the CLI shows it; Prefect puts it in the flow-run log)."""
        log.info("%s: %s: %d listed, %d new or updated (so far %d new, %d updated, %d unchanged)", self.name,
                 where, listed, changed, self.report.new, self.report.updated, self.report.unchanged)

    def save(self) -> None:
        """Persist the state now (a resume point)."""
        self.store.save_state(self.name, self.state)

    def keep(self, data: bytes, *, known: dict[str, Any] | None, **meta: Any) -> RawMeta:
        """Store one post version; count it as new, updated or unchanged against what the state knew."""
        stored, _created = self.store.put(data, **meta)
        if known is None:
            self.report.new += 1
        elif known.get("sha256") != stored.sha256:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return stored


def classify(report: SourceReport, exc: FetchError) -> None:
    """Set the report's status for an error that stops the whole source."""
    if isinstance(exc, RateLimitedError):
        report.status = "paused"
        report.message = f"{exc} (progress saved; the next run resumes here)"
    elif isinstance(exc, UnreachableError):
        report.status = "unreachable"
        report.message = str(exc)
    else:
        report.status = "failed"
        report.message = str(exc)
    report.errors.append(ErrorRecord(url=exc.url, stage="fetch", error=type(exc).__name__, message=str(exc)))


SOURCE_KINDS: tuple[Source, ...] = ("qiita", "hatena", "github")
