"""What every source sync shares: the run context, the per-source report, and storing one post version."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

from notepipe.errors import CursorRefusedError, PageBudgetSpentError
from notepipe.http import FetchError, HostNotAllowedError, PoliteClient, RateLimitedError, UnreachableError
from notepipe.models import ErrorRecord, RawMeta, Source, Stage
from notepipe.raw_store import RawStore

log = logging.getLogger("notepipe.sources")


def printable(text: str) -> str:
    """`text` with lone surrogates (from JSON escapes or undecodable file names) as `\\udXXX` escapes: every
    report, state file and error line must encode as UTF-8."""
    return text.encode("utf-8", "backslashreplace").decode("utf-8")

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

    def fail(self, url: str | None, exc: Exception, stage: Stage = "fetch", message: str | None = None) -> None:
        """Record one post (or page) that could not be fetched or stored; the run goes on."""
        self.failed += 1
        self.errors.append(ErrorRecord(url=printable(url) if url else url, stage=stage,
                                       error=type(exc).__name__, message=printable(message or str(exc))))

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
    report: SourceReport
    restart: bool = False
    state: dict[str, Any] = field(default_factory=dict)
    page_budget: int = 500
    pages: int = 0

    def listing_page(self, url: str) -> None:
        """Count one listing page about to be read; once the run's budget is spent, stop before reading it."""
        if self.pages >= self.page_budget:
            raise PageBudgetSpentError(url, f"read max_pages_per_run={self.page_budget} listing pages this run; the "
                                       "cursor is saved and the next run continues from this page")
        self.pages += 1

    def start(self, first: str, refusal: Callable[[str], str | None]) -> tuple[str, bool]:
        """Where the listing starts, and whether it resumes: the saved cursor if there is one (never with
        `restart`, i.e. `run --full`), else `first`. A cursor `refusal(url)` gives a reason against is dropped and
        reported, so this run starts from the top."""
        cursor = self.state.pop("cursor", None)
        if self.restart or not cursor:
            return first, False
        reason = refusal(cursor) if isinstance(cursor, str) else "not a URL"
        if reason:
            self.report.fail(str(cursor), CursorRefusedError(str(cursor), f"the saved cursor is dropped ({reason}); "
                                                                  "this run starts from the top"))
            return first, False
        self.state["cursor"] = cursor
        return cursor, True

    def drop_cursor(self, url: str, exc: FetchError) -> FetchError:
        """A saved cursor whose page answers with a lasting error (refused, 4xx) cannot be followed: forget it
        so the next run starts from the top instead of repeating the error forever."""
        self.state.pop("cursor", None)
        self.state.pop("seen_pages", None)
        self.save()
        reason = str(exc).removeprefix(f"{exc.url}: ")
        return type(exc)(url, f"{reason} (the saved cursor is dropped; the next run starts from the top)", exc.status)

    def progress(self, where: str, changed: int, listed: int) -> None:
        """Log one listing page's outcome (the CLI shows it; Prefect puts it in the flow-run log)."""
        log.info("%s: %s: %d listed, %d new or updated (so far %d new, %d updated, %d unchanged)", self.name,
                 where, listed, changed, self.report.new, self.report.updated, self.report.unchanged)

    def save(self) -> None:
        """Persist the state now (a resume point)."""
        self.store.save_state(self.name, self.state)

    def keep(self, data: bytes | Any, *, known: dict[str, Any] | None, **meta: Any) -> RawMeta | None:
        """Store one post version (`data` may be a callable that makes the bytes); count it as new, updated or
        unchanged against what the state knew. An item that cannot be stored (e.g. a lone surrogate in its JSON)
        becomes an error line for that item and None; the page's other items go on. Disk errors stop the source."""
        try:
            stored, _created = self.store.put(data() if callable(data) else data, **meta)
        except (ValueError, TypeError) as exc:
            where = meta.get("url") if isinstance(meta.get("url"), str) else meta.get("fetched_url")
            self.report.fail(where, exc, stage="store", message=f"cannot store {meta.get('key')}: {exc}; this item "
                             "is skipped, the others and the cursor go on")
            return None
        if known is None:
            self.report.new += 1
        elif known.get("sha256") != stored.sha256:
            self.report.updated += 1
        else:
            self.report.unchanged += 1
        return stored


def unfollowable(exc: FetchError) -> bool:
    """An answer that will not change by trying again: refused by us, or a 4xx other than a rate limit."""
    if isinstance(exc, HostNotAllowedError):
        return True
    return exc.status is not None and 400 <= exc.status < 500 and exc.status not in {401, 403, 429}


def classify(report: SourceReport, exc: FetchError) -> None:
    """Set the report's status for an error that stops the whole source."""
    if isinstance(exc, PageBudgetSpentError):  # not an error: the source is bounded per run and resumes next run
        report.status = "paused"
        report.message = str(exc)
        return
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
