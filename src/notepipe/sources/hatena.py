"""Hatena Blog: the Atom feed (`/feed`, then each `rel="next"`) lists entries; each entry page is one snapshot."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

from notepipe.config import HatenaSource
from notepipe.http import FetchError, RobotsDisallowedError
from notepipe.sources._base import SyncContext

_ATOM = "{http://www.w3.org/2005/Atom}"


@dataclass(frozen=True, slots=True)
class FeedEntry:
    """One `<entry>` of the feed: where the page is and when it last changed."""

    path: str  # entry path relative to the blog root, e.g. `entry/2025/02/03/210000`
    url: str  # the page URL under the configured base
    updated: str | None
    title: str | None


def parse_feed(data: bytes, src: HatenaSource, feed_url: str) -> tuple[list[FeedEntry], str | None]:
    """Entries (newest first, as served) and the `rel="next"` URL of one Atom feed page."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise FetchError(feed_url, f"the feed is not valid Atom XML ({exc})") from None
    if root.tag != f"{_ATOM}feed":
        raise FetchError(feed_url, f"expected an Atom <feed>, got <{root.tag.removeprefix(_ATOM)}>")
    entries = []
    for node in root.iter(f"{_ATOM}entry"):
        href = next((link.get("href") for link in node.iter(f"{_ATOM}link")
                     if link.get("rel", "alternate") == "alternate" and link.get("href")), None)
        path = entry_path(href, src) if href else None
        if path is None:
            continue
        entries.append(FeedEntry(
            path=path, url=f"{src.root}/{path}",
            updated=(node.findtext(f"{_ATOM}updated") or "").strip() or None,
            title=(node.findtext(f"{_ATOM}title") or "").strip() or None,
        ))
    nxt = next((link.get("href") for link in root.findall(f"{_ATOM}link") if link.get("rel") == "next"), None)
    return entries, urljoin(feed_url, nxt) if nxt else None


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
    resuming = bool(state.get("cursor"))
    url: str | None = state.get("cursor") or f"{src.root}/feed"
    first = True
    seen: set[str] = set()
    while url:
        if url in seen:
            raise FetchError(url, "the feed's rel=next loops back to a page already read")
        seen.add(url)
        conditional = first and not ctx.full and not resuming
        resp = ctx.client.get(url, etag=state.get("feed_etag") if conditional else None,
                              last_modified=state.get("feed_last_modified") if conditional else None, page=True)
        if resp.not_modified:
            ctx.report.status = "unchanged"
            break
        if first and not resuming:
            state["pending"] = {"feed_etag": resp.etag, "feed_last_modified": resp.last_modified}
        entries, nxt = parse_feed(resp.content, src, url)
        changed = sum(_keep_entry(ctx, src, entry, posts) for entry in entries)
        ctx.progress(f"feed page {len(seen)}", changed, len(entries))
        first = False
        if not ctx.full and not resuming and not changed:
            break
        url = nxt
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
    posts[entry.path] = {"version": entry.updated, "sha256": meta.sha256, "etag": resp.etag,
                         "last_modified": resp.last_modified}
    return int(known is None or known.get("sha256") != meta.sha256)
