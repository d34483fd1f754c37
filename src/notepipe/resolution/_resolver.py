"""The resolve stage: ask the arXiv API and OpenAlex about the papers not resolved yet, and keep their answers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import httpx

from notepipe.config import Config
from notepipe.errors import FetchError, MalformedResponseError, RateLimitedError, UnreachableError
from notepipe.http import PoliteClient, host_of
from notepipe.models import ErrorRecord
from notepipe.raw_store import RawStore
from notepipe.resolution import _arxiv_api, _openalex_api
from notepipe.resolution._canonical import normalized_title
from notepipe.resolution._lookups import LookupStore, Resolutions, Service, load_resolutions
from notepipe.sources._base import SourceReport

log = logging.getLogger("notepipe.resolution")

#: A question answered "not found" (or by no acceptable candidate) is asked again after this many days: arXiv IDs
#: can be typos that stay typos, but OpenAlex keeps adding works. Found answers are kept for good.
MISS_RETRY_DAYS = 30
#: The state file (raw/_state/resolve.json) whose `last_run.errors` curate lists in errors.jsonl.
STATE = "resolve"


def _parse_time(stamp: str) -> datetime:
    parsed = datetime.fromisoformat(stamp)
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


class _Asking:
    """One resolve run: the client, the store, what the stored answers say, and a report per service."""

    def __init__(self, config: Config, client: PoliteClient, resolutions: Resolutions, *, refresh: bool,
                 now: datetime) -> None:
        self.config = config
        self.client = client
        self.store = LookupStore(config.raw_dir)
        self.resolutions = resolutions
        self.refresh = refresh
        self.now = now
        self.mailto = config.mailto()

    def due(self, service: Service, key: str, found: bool) -> bool:
        """Ask when never asked, with `--refresh`, or when the last answer was a miss older than the retry age."""
        asked = self.resolutions.asked.get((service, key))
        if self.refresh or asked is None:
            return True
        return not found and self.now - _parse_time(asked) >= timedelta(days=MISS_RETRY_DAYS)

    def scrub(self, text: str) -> str:
        """The mailto address never goes into errors.jsonl (a published file): it is replaced by `…`."""
        if not self.mailto:
            return text
        return text.replace(quote(self.mailto, safe="@"), "…").replace(self.mailto, "…")

    def failed(self, report: SourceReport, url: str, exc: Exception, keys: int) -> None:
        report.failed += keys
        report.errors.append(ErrorRecord(url=self.scrub(url), stage="resolve", error=type(exc).__name__,
                                         message=self.scrub(str(exc))))

    def stop(self, report: SourceReport, exc: FetchError, left: int) -> None:
        """The host is unreachable, or asked for a longer pause than we wait: stop asking it this run."""
        report.status = "paused" if isinstance(exc, RateLimitedError) else "unreachable"
        report.message = self.scrub(f"{exc} ({left} lookups left for the next run; nothing else changed)")
        self.failed(report, exc.url, exc, left)

    def arxiv(self, ids: list[str]) -> SourceReport:
        """Ask the arXiv API about every due ID, in batches of at most 100 IDs per request."""
        report = SourceReport(source="resolve:arxiv", kind="arxiv")
        todo = [i for i in ids if self.due("arxiv", i, self.resolutions.for_id(i) is not None)]
        report.unchanged = len(ids) - len(todo)
        start = self.client.requests
        batches = [todo[i:i + _arxiv_api.BATCH] for i in range(0, len(todo), _arxiv_api.BATCH)]
        for n, batch in enumerate(batches):
            url = _arxiv_api.query_url(self.config.papers.arxiv_api, batch)
            try:
                resp = self.client.get(url, accept="application/atom+xml")
                found = _arxiv_api.parse_feed(resp.content)
            except (UnreachableError, RateLimitedError) as exc:
                self.stop(report, exc, sum(len(b) for b in batches[n:]))
                break
            except (FetchError, MalformedResponseError) as exc:  # this batch only; the next may be fine
                report.status = "failed"
                report.message = self.scrub(str(exc))
                self.failed(report, url, exc, len(batch))
                continue
            self.store.put("arxiv", batch, ",".join(batch), resp.content, fetched_url=url, status=resp.status,
                           media_type=resp.media_type)
            report.new += sum(1 for i in batch if i in found)
            report.skipped += sum(1 for i in batch if i not in found)
        report.requests = self.client.requests - start
        return report

    def openalex(self, titles: list[tuple[str, int | None]]) -> SourceReport:
        """Search OpenAlex once per due title (one request each; the normalized title is the question)."""
        report = SourceReport(source="resolve:openalex", kind="openalex")
        questions: dict[str, list[tuple[str, int | None]]] = {}
        for title, year in titles:
            if normalized_title(title):
                questions.setdefault(normalized_title(title), []).append((title, year))
        todo = [(key, pairs) for key, pairs in questions.items() if self.due(
            "openalex", key, all(self.resolutions.for_title(t, y) is not None for t, y in pairs))]
        report.unchanged = len(questions) - len(todo)
        start = self.client.requests
        for n, (key, pairs) in enumerate(todo):
            title = pairs[0][0]
            url = _openalex_api.query_url(self.config.papers.openalex_api, title, self.mailto)
            shown = _openalex_api.query_url(self.config.papers.openalex_api, title)
            try:
                resp = self.client.get(url, accept="application/json")
                candidates = _openalex_api.parse_works(resp.content)
            except (UnreachableError, RateLimitedError) as exc:
                self.stop(report, exc, len(todo) - n)
                break
            except (FetchError, MalformedResponseError) as exc:
                report.status = "failed"
                report.message = self.scrub(str(exc))
                self.failed(report, shown, exc, 1)
                continue
            self.store.put("openalex", [key], _openalex_api.search_text(title), resp.content, fetched_url=shown,
                           status=resp.status, media_type=resp.media_type)
            answered = Resolutions(titles={key: candidates})
            if any(answered.for_title(t, y) is not None for t, y in pairs):
                report.new += 1
            else:
                report.skipped += 1
        report.requests = self.client.requests - start
        return report


def resolve(config: Config, *, refresh: bool = False, jobs: int = 1, transport: httpx.BaseTransport | None = None,
            now: datetime | None = None, on_done: Callable[[SourceReport], None] | None = None,
            progress: Callable[[int, int], None] | None = None) -> list[SourceReport]:
    """Resolve the distinct papers of raw/'s posts: one report per service (`resolve:arxiv`, `resolve:openalex`).

    The posts are read through curate's cache (inputs not cached yet are processed now, in `jobs` processes and
    reported to `progress(done, total)`, and curate reuses them). Never raises for network or API trouble: an
    unreachable API is reported, its errors go to raw/_state/resolve.json (so curate lists them in
    errors.jsonl), and nothing else changes.
    `[papers].resolve = false` makes this a no-op with no reports.
    """
    if not config.papers.resolve:
        return []
    from notepipe.curate._papers import index_papers
    from notepipe.curate._run import current_records

    records = current_records(config.raw_dir, config.curated_dir, jobs=jobs, progress=progress)
    ids, titles = index_papers(records).lookups()
    store = RawStore(config.raw_dir)
    reports: list[SourceReport] = []
    with store.lock():
        resolutions, _ = load_resolutions(config.raw_dir)
        client = PoliteClient(config.http, config.papers.origins(), transport=transport)
        # arXiv asks for one request every 3 s; the per-host limiter keeps that across threads of this process.
        client.limiter.slow_down(host_of(config.papers.arxiv_api), config.papers.arxiv_interval_s)
        asking = _Asking(config, client, resolutions, refresh=refresh, now=now or datetime.now(UTC))
        try:
            asks: tuple[Callable[[], SourceReport], ...] = (lambda: asking.arxiv(ids), lambda: asking.openalex(titles))
            for ask in asks:
                report = ask()
                if report.status == "ok" and not (report.new or report.skipped or report.failed):
                    report.status = "unchanged"
                reports.append(report)
                if on_done is not None:
                    on_done(report)
        finally:
            client.close()
        errors = [e.model_dump(mode="json") for r in reports for e in r.errors]
        status = next((r.status for r in reports if r.status not in {"ok", "unchanged"}), "ok")
        try:
            store.save_state(STATE, {"last_run": {"status": status, "errors": errors}})
        except OSError as exc:
            log.warning("could not save %s state: %s", STATE, exc)
    return reports
