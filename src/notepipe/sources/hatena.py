"""Hatena Blog: the Atom feed (`/feed`, then each `rel="next"`) lists entries; each entry page is one snapshot."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from notepipe.config import HatenaSource
from notepipe.http import FetchError, HostNotAllowedError, RobotsDisallowedError
from notepipe.sources._base import CursorRefusedError, SyncContext, unfollowable

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One `<entry>` of the feed: where the page is and when it last changed."""

    path: str  # entry path relative to the blog root, e.g. `entry/2025/02/03/210000`
    url: str  # the page URL under the configured base
    updated: str | None
    title: str | None


@dataclass(frozen=True, slots=True)
class FeedPage:
    """One Atom feed page: its entries (newest first, as served), the `rel="next"` URL, and the entry links that
    point off the blog (refused, to be reported)."""

    entries: list[FeedEntry]
    next: str | None
    refused: list[str]


def parse_feed(data: bytes, src: HatenaSource, feed_url: str) -> FeedPage:
    """Entries, the `rel="next"` URL and the refused entry links of one Atom feed page."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FetchError(feed_url, f"the feed is not valid Atom XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise FetchError(feed_url, f"expected an Atom <feed>, got <{root.tag.removeprefix(_ATOM)}>")
    entries, refused = [], []
    for node in root.iter(f"{_ATOM}entry"):
        href = next((link.get("href") for link in node.iter(f"{_ATOM}link")
                     if link.get("rel", "alternate") == "alternate" and link.get("href")), None)
        path = entry_path(href, src) if href else None
        if path is None:
            if href:
                refused.append(href)
            continue
        entries.append(FeedEntry(
            path=path, url=f"{src.root}/{path}",
            updated=(node.findtext(f"{_ATOM}updated") or "").strip() or None,
            title=(node.findtext(f"{_ATOM}title") or "").strip() or None,
        ))
    nxt = next((link.get("href") for link in root.findall(f"{_ATOM}link") if link.get("rel") == "next"), None)
    return FeedPage(entries, urljoin(feed_url, nxt) if nxt else None, refused)


def on_root(url: str, src: HatenaSource) -> str:
    """A feed URL on the blog's own host, moved to the configured base (a mirror's feed names the blog's host in
    its links, as its entries do); any other URL as it is."""
    parts = urlsplit(url)
    if src.base_url and parts.scheme in {"http", "https"} and parts.netloc == src.blog and parts.path == "/feed":
        return f"{src.root}/feed" + (f"?{parts.query}" if parts.query else "")
    return url


def feed_refusal(url: str, src: HatenaSource) -> str | None:
    """Why `url` is not a page of this blog's feed (None when it is): `<root>/feed`, optionally with one numeric
    `page`. A real AtomPub document's next link (blog.hatena.ne.jp) or a mirror's own host are not."""
    parts, root = urlsplit(url), urlsplit(f"{src.root}/feed")
    if (parts.scheme, parts.netloc, parts.path) != (root.scheme, root.netloc, root.path):
        return f"{url} is not this blog's feed {src.root}/feed"
    query = parse_qs(parts.query, keep_blank_values=True)
    if set(query) - {"page"} or any(len(v) != 1 or not v[0].isdigit() for v in query.values()):
        return f"{url} has parameters other than a numeric page"
    return None


def entry_path(href: str, src: HatenaSource) -> str | None:
    """`entry/...` relative to the blog root, for a link on the configured base or on the blog's own host."""
    link = urlsplit(href)
    for base in (src.root, f"https://{src.blog}", f"http://{src.blog}"):
        root = urlsplit(base)
        if link.netloc == root.netloc and link.path.startswith(root.path.rstrip("/") + "/"):
            path = link.path[len(root.path.rstrip("/")) + 1:]
            return path if path.startswith("entry/") and ".." not in path.split("/") else None
    return None


def sync(src: HatenaSource, ctx: SyncContext) -> None:
    """Walk the feed newest first; fetch entry pages that are new or whose `<updated>` changed."""
    state = ctx.state
    posts: dict[str, Any] = state.setdefault("posts", {})
    url: str | None
    url, resuming = ctx.start(f"{src.root}/feed", lambda cursor: feed_refusal(cursor, src))
    if not resuming:
        state.pop("pending", None)
    first = True
    seen: set[str] = set()
    while url:
        if url in seen:
            raise FetchError(url, "the feed's rel=next loops back to a page already read")
        seen.add(url)
        ctx.listing_page(url)
        conditional = first and not ctx.full and not resuming
        try:
            resp = ctx.client.get(url, etag=state.get("feed_etag") if conditional else None,
                                  last_modified=state.get("feed_last_modified") if conditional else None, page=True)
        except FetchError as exc:
            if resuming and first and unfollowable(exc):
                raise ctx.drop_cursor(url, exc) from None
            raise
        if resp.not_modified:
            ctx.report.status = "unchanged"
            break
        if first and not resuming:
            state["pending"] = {"feed_etag": resp.etag, "feed_last_modified": resp.last_modified}
        page = parse_feed(resp.content, src, url)
        for href in page.refused:
            ctx.report.fail(href, HostNotAllowedError(href, f"the feed {url} links an entry outside {src.root}; "
                                                            "refused, never fetched"))
        changed = 0
        for entry in page.entries:
            changed += _keep_entry(ctx, src, entry, posts)
            ctx.save()  # progress within a page: a run stopped here does not fetch these entries again
        ctx.progress(f"feed page {len(seen)}", changed, len(page.entries))
        first = False
        if not ctx.full and not resuming and not changed:
            break
        url = on_root(page.next, src) if page.next else None
        if url and (reason := feed_refusal(url, src)):  # never saved as the resume point: it cannot be followed
            ctx.report.fail(url, CursorRefusedError(url, f"refusing the feed's next link: {reason}"))
            state.pop("pending", None)  # the walk did not reach the end: no conditional request next run
            url = None
        state["cursor"] = url
        ctx.save()
    state.pop("cursor", None)
    state.update(state.pop("pending", {}))
    ctx.save()


def _keep_entry(ctx: SyncContext, src: HatenaSource, entry: FeedEntry, posts: dict[str, Any]) -> int:
    known = posts.get(entry.path)
    if known and not ctx.full and entry.updated and known.get("version") == entry.updated:
        ctx.report.unchanged += 1
        return 0
    try:
        resp = ctx.client.get(entry.url, etag=known.get("etag") if known else None,
                              last_modified=known.get("last_modified") if known else None, page=True)
    except RobotsDisallowedError as exc:
        ctx.report.skipped += 1
        ctx.report.message = str(exc)
        return 0
    except FetchError as exc:
        ctx.report.fail(entry.url, exc)
        return 0
    if resp.not_modified and known:
        ctx.report.unchanged += 1
        posts[entry.path] = {**known, "version": entry.updated}
        return 0
    meta = ctx.keep(
        resp.content, known=known, ext="html", key=f"hatena:{src.blog}/{entry.path}", source="hatena",
        author=src.blog, native_id=entry.path, url=f"https://{src.blog}/{entry.path}", fetched_url=entry.url,
        status=resp.status, etag=resp.etag, last_modified=resp.last_modified, version=entry.updated,
        media_type=resp.media_type,
    )
    if meta is None:
        return 0
    posts[entry.path] = {"version": entry.updated, "sha256": meta.sha256, "etag": resp.etag,
                         "last_modified": resp.last_modified}
    return int(known is None or known.get("sha256") != meta.sha256)
