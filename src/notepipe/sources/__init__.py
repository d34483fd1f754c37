"""Sources: list and fetch posts from Qiita, Hatena Blog and GitHub into raw/, incrementally and resumably."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from typing import Any

import httpx

from notepipe._atomic import atomic_write_bytes
from notepipe.config import Config, SourceConfig, token_for
from notepipe.http import FetchError, PoliteClient
from notepipe.raw_store import STATE_DIR, RawStore, utc_now
from notepipe.sources import github, hatena, qiita
from notepipe.sources._base import SourceReport, SyncContext, classify

__all__ = ["SourceReport", "scrape", "sync_source", "write_run_log"]

log = logging.getLogger("notepipe.sources")

_SYNC: dict[str, Callable[[Any, SyncContext], None]] = {
    "qiita": qiita.sync, "hatena": hatena.sync, "github": github.sync,
}


def sync_source(source: SourceConfig, config: Config, *, full: bool = False, restart: bool = False,
                transport: httpx.BaseTransport | None = None) -> SourceReport:
    """Fetch one source into raw/: incremental by default, its whole history with `full=True`.

    A saved cursor (an interrupted or paused walk) is resumed unless `restart` (`run --full`): then the walk
    starts from the top.

    Never raises for network or site trouble: the report says what happened and carries every error.
    """
    store = RawStore(config.raw_dir)
    report = SourceReport(source=source.name, kind=source.kind)
    # Each source fetches only from its own origins and its token goes only under its API base: a link or a
    # redirect from one source to another source's host is refused, never followed with the first one's token.
    client = PoliteClient(config.http, source.origins(), store=store,
                          tokens=source.token_scopes(token_for(source.kind)), transport=transport)
    ctx = SyncContext(client=client, store=store, name=source.name, full=full, restart=restart, report=report,
                      state=store.load_state(source.name), page_budget=config.http.max_pages_per_run)
    try:
        _SYNC[source.kind](source, ctx)
    except FetchError as exc:
        classify(report, exc)
    except OSError as exc:  # disk full, permissions: stop this source; what was stored before stays consistent
        report.status = "failed"
        report.message = f"could not write to {config.raw_dir}: {exc}"
        report.fail(None, exc, stage="store")
    except Exception as exc:  # a site answering in a shape we did not expect: report it, keep the run going
        log.exception("source %s failed", source.name)
        report.status = "failed"
        report.message = f"unexpected {type(exc).__name__}: {exc}"
        report.fail(None, exc, stage="process")
    finally:
        report.requests = ctx.client.requests
        ctx.client.close()
    ctx.state["last_run"] = {"status": report.status, "errors": [e.model_dump(mode="json") for e in report.errors]}
    try:
        ctx.save()  # curate lists these errors in curated/errors.jsonl until a later run of this source clears them
    except OSError as exc:
        log.warning("could not save the state of %s: %s", source.name, exc)
    if report.status == "ok" and not (report.new or report.updated or report.failed):
        report.status = "unchanged"
    return report


def scrape(config: Config, *, sources: list[SourceConfig] | None = None, full: bool = False,
           restart: bool = False, transport: httpx.BaseTransport | None = None,
           on_start: Callable[[SourceConfig], None] | None = None,
           on_done: Callable[[SourceReport], None] | None = None) -> list[SourceReport]:
    """Fetch every configured source (or the given ones) in turn, holding raw/'s lock; one bad source never
    stops the others."""
    store = RawStore(config.raw_dir)
    reports = []
    with store.lock():
        for source in sources if sources is not None else config.sources:
            if on_start is not None:
                on_start(source)
            report = sync_source(source, config, full=full, restart=restart, transport=transport)
            reports.append(report)
            if on_done is not None:
                on_done(report)
        write_run_log(store, reports)
    return reports


def write_run_log(store: RawStore, reports: list[SourceReport]) -> None:
    """Keep each run's reports (with its errors) under raw/_state/runs/ for later inspection."""
    stamp = utc_now().replace(":", "")
    data = json.dumps([r.to_dict() for r in reports], ensure_ascii=False, indent=1) + "\n"
    try:
        atomic_write_bytes(store.root / STATE_DIR / "runs" / f"{stamp}.json", data.encode("utf-8"))
    except OSError as exc:  # the reports are still returned and printed; only this copy is lost
        log.warning("could not keep the run log under %s: %s", store.root / STATE_DIR / "runs", exc)
