"""Hatena Blog under /hatena/{blog}: the Atom feed (paged by epoch) and entry pages, with ETag/Last-Modified."""

from __future__ import annotations

from datetime import datetime, timedelta
from urllib.parse import unquote
from xml.sax.saxutils import escape, quoteattr

from .content import HatenaBlog, HatenaEntry, hatena_blogs
from .hatena_page import entry_page, summary
from .wire import HTML_TYPE, Response, http_date, not_modified, weak_etag

NOT_FOUND_PAGE = "<!DOCTYPE html>\n<html lang=\"ja\"><head><title>404 Not Found</title></head><body><h1>404 Not Found</h1></body></html>\n"


class HatenaSite:
    """State and routes of the Hatena Blog fixture; the caller holds the site lock."""

    def __init__(self, page_size: int = 3) -> None:
        self.page_size = page_size
        self.blogs: dict[str, HatenaBlog] = {b.host: b for b in hatena_blogs()}

    def entry(self, blog: str, path: str) -> HatenaEntry:
        """The entry at path ('/entry/…', 'entry/…' or a full URL ending in it); KeyError if none."""
        path = "/" + path.lstrip("/")
        tail = path[path.index("/entry/") :] if "/entry/" in path else path
        for entry in self.blogs[blog].entries:
            if entry.path == tail:
                return entry
        raise KeyError(path)

    def update_entry(self, blog: str, path: str, *, html: str | None = None, title: str | None = None) -> None:
        """Change html/title and bump <updated> past every other timestamp of the blog."""
        entry = self.entry(blog, path)
        entry.html = entry.html if html is None else html
        entry.title = entry.title if title is None else title
        entry.updated = self._latest(blog) + timedelta(days=1)

    def add_entry(self, blog: str, *, title: str, html: str, categories: list[str] | None = None) -> str:
        """Add a new newest entry; returns its path ('/entry/YYYY/MM/DD/HHMMSS')."""
        published = self._latest(blog) + timedelta(days=1)
        path = f"/entry/{published:%Y/%m/%d/%H%M%S}"
        entry_id = str(6802418398400000000 + len(self.blogs[blog].entries))
        self.blogs[blog].entries.append(
            HatenaEntry(path, entry_id, title, html, published, published, categories or ["論文紹介"]))
        return path

    def _latest(self, blog: str) -> datetime:
        return max(max(e.published, e.updated) for e in self.blogs[blog].entries)

    def handle(self, blog: str, path: str, query: dict[str, str], headers: dict[str, str], blog_url: str) -> Response:
        """Route path (below /hatena/{blog})."""
        if blog not in self.blogs:
            return Response(404, NOT_FOUND_PAGE.encode(), [("Content-Type", HTML_TYPE)])
        if path == "/feed":
            return self._feed(self.blogs[blog], query, headers, blog_url)
        if path.startswith("/entry/"):
            try:
                entry = self.entry(blog, unquote(path))
            except KeyError:
                return Response(404, NOT_FOUND_PAGE.encode(), [("Content-Type", HTML_TYPE)])
            body = entry_page(self.blogs[blog], entry, blog_url).encode()
            return _cached(body, HTML_TYPE, headers, entry.updated)
        return Response(404, NOT_FOUND_PAGE.encode(), [("Content-Type", HTML_TYPE)])

    def _feed(self, blog: HatenaBlog, query: dict[str, str], headers: dict[str, str], blog_url: str) -> Response:
        entries = sorted(blog.entries, key=lambda e: e.published, reverse=True)
        if "page" in query:
            try:
                before = int(query["page"])
            except ValueError:
                return Response(404, NOT_FOUND_PAGE.encode(), [("Content-Type", HTML_TYPE)])
            entries = [e for e in entries if e.published.timestamp() < before]
        shown = entries[: self.page_size]
        latest = max(e.updated for e in blog.entries)
        parts = [
            '<?xml version="1.0" encoding="utf-8"?>',
            '<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="ja">',
            f"  <title>{escape(blog.title)}</title>",
            f"  <subtitle>{escape(blog.description)}</subtitle>",
            f"  <link href={quoteattr(blog_url + '/')}/>",
        ]
        if len(entries) > len(shown):
            parts.append(f'  <link rel="next" href={quoteattr(f"{blog_url}/feed?page={int(shown[-1].published.timestamp())}")}/>')
        parts += [
            f"  <updated>{latest.isoformat()}</updated>",
            f"  <author>\n    <name>{escape(blog.author)}</name>\n  </author>",
            '  <generator uri="https://blog.hatena.ne.jp/" version="fixture">Hatena::Blog</generator>',
            f"  <id>hatenablog://blog/{blog.blog_id}</id>",
            *(_entry_xml(blog, e, blog_url) for e in shown),
            "</feed>",
        ]
        body = ("\n".join(parts) + "\n").encode()
        return _cached(body, "application/atom+xml; charset=utf-8", headers, latest)


def _entry_xml(blog: HatenaBlog, entry: HatenaEntry, blog_url: str) -> str:
    cats = "\n".join(f"    <category term={quoteattr(c)} label={quoteattr(c)} />" for c in entry.categories)
    return f"""  <entry>
    <title>{escape(entry.title)}</title>
    <link href={quoteattr(blog_url + entry.path)}/>
    <id>hatenablog://entry/{entry.entry_id}</id>
    <published>{entry.published.isoformat()}</published>
    <updated>{entry.updated.isoformat()}</updated>
    <summary type="html">{escape(summary(entry))}</summary>
    <content type="html">{escape(entry.html)}</content>
{cats}
    <author>
      <name>{escape(blog.author)}</name>
    </author>
  </entry>"""


def _cached(body: bytes, content_type: str, headers: dict[str, str], modified: datetime) -> Response:
    etag = weak_etag(body)
    common = [("ETag", etag), ("Last-Modified", http_date(modified)), ("Cache-Control", "private")]
    if not_modified(headers, etag, modified):
        return Response(304, b"", common)
    return Response(200, body, [("Content-Type", content_type), ("Vary", "Accept-Encoding"), *common])
