"""Qiita API v2: a user's items, newest first, one raw snapshot per item version (the API only, never pages)."""

from __future__ import annotations

import json
import re
import time
from typing import Any
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

from notepipe.config import QiitaSource
from notepipe.http import FetchError, RateLimitedError, Response, host_of
from notepipe.sources._base import CursorRefusedError, SyncContext, unfollowable

MAX_PAGE = 100  # the API rejects page > 100
#: Counters and per-viewer fields change without the post changing: kept out of the snapshot.
VOLATILE = frozenset({"likes_count", "stocks_count", "comments_count", "reactions_count", "page_views_count"})
USER_KEEP = ("id", "name")
_ID = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


def list_url(src: QiitaSource) -> str:
    """The user's item list, without a query: every page of the listing is this URL plus `page` and `per_page`."""
    return f"{src.api_base}/users/{src.user}/items"


def page_number(url: str) -> int | None:
    """The `page` of a listing URL, when the query is exactly `page` (digits) and `per_page`, each once."""
    query = parse_qs(urlsplit(url).query, keep_blank_values=True)
    if set(query) - {"page", "per_page"} or any(len(v) != 1 for v in query.values()):
        return None
    page = query.get("page", ["1"])[0]
    return int(page) if page.isdigit() and len(page) <= 6 else None


def refusal(url: str, src: QiitaSource) -> str | None:
    """Why `url` is not a page of this source's listing (None when it is): the list URL on the API's origin, with
    no parameter but `page` and `per_page`, so a changing extra parameter cannot make an endless walk."""
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or urlunsplit(parts._replace(query="", fragment="")) != list_url(src):
        return f"{url} is not this user's item list under {src.api_base}"
    if page_number(url) is None:
        return f"{url} has parameters other than page and per_page"
    return None


def next_link(resp: Response, src: QiitaSource) -> str | None:
    """The `rel="next"` URL of the `Link` header, if its page is within the API's 100-page ceiling and after the
    current one. A link off the source's listing raises CursorRefusedError (reported, never fetched)."""
    nxt = resp.links.get("next", {}).get("url")
    if not nxt:
        return None
    nxt = urljoin(resp.url, nxt)
    if reason := refusal(nxt, src):
        raise CursorRefusedError(resp.url, f"refusing the next link: {reason}")
    page, current = page_number(nxt), page_number(resp.url) or 0
    if page is None or page > MAX_PAGE:
        return None
    if page <= current:
        raise FetchError(resp.url, f"pagination loops back to a page already read (page {page} after {current})")
    return nxt


def snapshot_bytes(item: dict[str, Any]) -> bytes:
    """The stored form of one item: volatile counters dropped, user reduced to id and name, keys sorted."""
    kept = {k: v for k, v in item.items() if k not in VOLATILE}
    if isinstance(kept.get("user"), dict):
        kept["user"] = {k: kept["user"][k] for k in USER_KEEP if k in kept["user"]}
    return (json.dumps(kept, ensure_ascii=False, sort_keys=True, indent=1) + "\n").encode("utf-8")


def _first_page(src: QiitaSource) -> str:
    return f"{list_url(src)}?{urlencode({'page': 1, 'per_page': src.per_page})}"


def _wait_for_quota(ctx: SyncContext, resp: Response, url: str) -> None:
    remaining, reset = resp.headers.get("rate-remaining"), resp.headers.get("rate-reset")
    if remaining is None or not remaining.strip().isdigit() or int(remaining) > 0:
        return
    wait = max(0.0, float(reset) - time.time()) if reset and reset.strip().isdigit() else 3600.0
    if wait > ctx.client.config.max_wait_s:
        raise RateLimitedError(url, f"Qiita rate limit used up (Rate-Remaining: 0, resets in {wait:.0f} s)",
                          time.time() + wait)
    ctx.client.limiter.pause(host_of(url), wait)


def sync(src: QiitaSource, ctx: SyncContext) -> None:
    """List the user's items page by page; store new and changed ones; stop early when incremental."""
    state = ctx.state
    posts: dict[str, Any] = state.setdefault("posts", {})
    url: str | None
    url, resuming = ctx.start(_first_page(src), lambda cursor: refusal(cursor, src))
    if not resuming:
        state.pop("seen_pages", None)
    etag = None if (ctx.full or resuming) else state.get("list_etag")
    first = True
    while url:
        ctx.listing_page(url)
        try:
            resp = ctx.client.get(url, etag=etag if first else None)
        except FetchError as exc:
            if exc.status in {403, 429}:
                raise RateLimitedError(url, f"{exc} (Qiita answers 403/429 when the hourly quota is used up)",
                                  time.time() + 3600, exc.status) from None
            if resuming and first and unfollowable(exc):
                raise ctx.drop_cursor(url, exc) from None
            raise
        if resp.not_modified:
            ctx.report.status = "unchanged"
            break
        items = resp.json()
        if not isinstance(items, list):
            raise FetchError(url, f"expected a JSON list of items, got {type(items).__name__}", resp.status)
        if first and not resuming:
            state["pending_etag"] = resp.etag
        changed = 0
        for item in items:
            changed += _keep_item(ctx, src, item, url, posts)
        ctx.progress(f"page {parse_qs(urlsplit(url).query).get('page', ['?'])[0]}", changed, len(items))
        if not ctx.full and not resuming and not changed:
            break  # incremental: this page holds nothing we lack, and older pages are older still
        try:
            nxt = _checked_next(resp, src, url, state)
        except CursorRefusedError as exc:  # a next link off our listing is refused: this walk ends here, reported
            ctx.report.fail(url, exc)
            state.pop("pending_etag", None)  # the list is not known complete: no conditional request next run
            break
        state["seen_pages"] = [*state.get("seen_pages", []), url][-MAX_PAGE:]
        first = False
        url = nxt
        state["cursor"] = url
        ctx.save()
        if url:
            _wait_for_quota(ctx, resp, url)
    state.pop("cursor", None)
    state.pop("seen_pages", None)
    if "pending_etag" in state:
        state["list_etag"] = state.pop("pending_etag")
    ctx.save()


def _checked_next(resp: Response, src: QiitaSource, url: str, state: dict[str, Any]) -> str | None:
    nxt = next_link(resp, src)
    if nxt == url or (nxt and nxt in state.get("seen_pages", [])):
        raise FetchError(url, "pagination loops back to a page already read")
    return nxt


def _keep_item(ctx: SyncContext, src: QiitaSource, item: Any, page_url: str, posts: dict[str, Any]) -> int:
    item_id = item.get("id") if isinstance(item, dict) else None
    if not isinstance(item_id, str) or not _ID.match(item_id):
        ctx.report.fail(page_url, ValueError(f"an item without a valid id ({str(item_id)[:40]!r}) on {page_url}"))
        return 0
    known = posts.get(item_id)
    version = item.get("updated_at") if isinstance(item.get("updated_at"), str) else None
    if known and not ctx.full and known.get("version") == version and version:
        ctx.report.unchanged += 1
        return 0
    meta = ctx.keep(
        lambda: snapshot_bytes(item), known=known, ext="json", key=f"qiita:{item_id}", source="qiita",
        author=src.user, native_id=item_id, url=item.get("url") if isinstance(item.get("url"), str) else None,
        fetched_url=page_url, status=200, version=version, media_type="application/json; charset=utf-8",
    )
    if meta is None:
        return 0
    changed = int(known is None or known.get("sha256") != meta.sha256)
    posts[item_id] = {"version": version, "sha256": meta.sha256}
    return changed
