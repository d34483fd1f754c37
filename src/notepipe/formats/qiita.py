"""Qiita: API v2 item JSON, article HTML pages (2017 and current layouts) and their text dumps."""

from __future__ import annotations

import json
import re
from typing import Any

from bs4 import BeautifulSoup, Tag

from notepipe.formats._base import Extracted, FormatError
from notepipe.formats._chrome import QIITA, is_chrome, is_counter
from notepipe.formats._dates import to_iso
from notepipe.formats._dump import cut_tail
from notepipe.formats._html import canonical, meta, text_of, to_markdown

_ITEM_URL = re.compile(r"qiita\.com/([\w-]+)/(?:items|private)/([0-9a-f]{20})")
_DATES = re.compile(
    r"^(?:Last updated at\s*(?P<upd>\d{4}-\d{2}-\d{2})?\s*)?Posted at\s*(?P<pub>\d{4}-\d{2}-\d{2})"
    r"|^(?:最終更新日\s*(?P<upd_ja>\S+)\s*)?投稿日\s*(?P<pub_ja>\S+)",
    re.IGNORECASE,
)
_TAIL = QIITA - {"loginsignup", "copied!"}
_BODY_SELECTORS = (
    "#personal-public-article-body .mdContent-inner",
    "#personal-public-article-body",
    "section.it-MdContent",
    "section.markdownContent",
    "[itemprop=articleBody]",
)
_BODY_DROP = (".alert", ".code-lang", ".hidden", ".footnotes-ref-link")


def is_api_item(obj: Any) -> bool:
    """A Qiita API v2 item: has the keys every item response carries."""
    return isinstance(obj, dict) and {"title", "user"} <= obj.keys() and ("body" in obj or "rendered_body" in obj)


def from_api(item: dict[str, Any]) -> Extracted:
    """One item of the Qiita API v2 (`/items/{id}` or an element of a list page)."""
    if not is_api_item(item):
        raise FormatError("not a Qiita API v2 item: needs title, user and body or rendered_body")
    user = item.get("user") if isinstance(item.get("user"), dict) else {}
    body = item.get("body")
    if not isinstance(body, str) or not body.strip():
        body = to_markdown(BeautifulSoup(str(item.get("rendered_body") or ""), "lxml"), drop=_BODY_DROP)
    item_id = str(item.get("id") or "") or None
    return Extracted(
        body=body,
        format="qiita-api",
        source="qiita",
        title=_str(item.get("title")),
        author=_str(user.get("id")),
        published_at=to_iso(_str(item.get("created_at"))),
        updated_at=to_iso(_str(item.get("updated_at"))),
        url=_str(item.get("url")),
        native_id=item_id,
        tags=tuple(str(t.get("name")) for t in item.get("tags") or [] if isinstance(t, dict) and t.get("name")),
    )


def from_api_list(items: list[Any]) -> list[Extracted]:
    """A list page (`/users/{user}/items`): one post per element."""
    return [from_api(item) for item in items]


def from_json_text(text: str) -> list[Extracted]:
    """Parse API JSON text (an item or a list of items)."""
    data = json.loads(text)
    return from_api_list(data) if isinstance(data, list) else [from_api(data)]


def is_page(soup: BeautifulSoup) -> bool:
    """A Qiita article page (any layout)."""
    site = meta(soup, "og:site_name") or ""
    url = canonical(soup) or ""
    return site == "Qiita" or "qiita.com" in url or soup.select_one(_BODY_SELECTORS[1]) is not None


def from_html(soup: BeautifulSoup) -> Extracted:
    """An article page: the body container only (never the hidden raw_body textarea)."""
    url = canonical(soup)
    body_el = next((el for sel in _BODY_SELECTORS if (el := soup.select_one(sel)) is not None), None)
    if body_el is None:
        raise FormatError("Qiita page without an article body (#personal-public-article-body or itemprop=articleBody)")
    match = _ITEM_URL.search(url or "")
    title = text_of(soup.select_one("h1[itemprop=headline], h1.ArticleMainHeader__title"))
    if not title:
        title = re.sub(r"\s+-\s+Qiita$", "", meta(soup, "og:title") or text_of(soup.title) or "") or None
    author = (meta(soup, "twitter:creator") or "").lstrip("@") or (match.group(1) if match else None)
    published = meta(soup, "datePublished", "article:published_time") or _time(soup, "datePublished")
    updated = meta(soup, "dateModified", "article:modified_time") or _time(soup, "dateModified")
    ld = _json_ld(soup)
    tags = [t for t in (text_of(a) for a in soup.select("ul.TagList a, a[href*='/tags/']")) if t]
    return Extracted(
        body=to_markdown(body_el, base_url=url, drop=_BODY_DROP),
        format="qiita-html",
        source="qiita",
        title=title,
        author=author,
        published_at=to_iso(published or ld.get("datePublished")),
        updated_at=to_iso(updated or ld.get("dateModified")),
        url=url,
        native_id=match.group(2) if match else None,
        tags=tuple(dict.fromkeys(tags)),
    )


def is_dump(lines: list[str]) -> bool:
    """A text dump of a Qiita page: its UI strings or its date line near the top."""
    head = lines[:80]
    return any(_DATES.match(line.strip()) for line in head) or sum(
        1 for line in lines if line.strip().casefold() in QIITA
    ) >= 2


def from_text(lines: list[str]) -> Extracted:
    """A page text dump: title above the date line, body until the sign-up/counters tail."""
    date_at = next((i for i, line in enumerate(lines[:120]) if _DATES.match(line.strip())), None)
    title = None
    published = updated = None
    start = 0
    if date_at is not None:
        m = _DATES.match(lines[date_at].strip())
        assert m is not None
        published = to_iso(m.group("pub") or m.group("pub_ja"))
        updated = to_iso(m.group("upd") or m.group("upd_ja")) or None
        start = date_at + 1
        for line in reversed(lines[:date_at]):
            if line.strip() and not is_chrome(line) and not is_counter(line):
                title = line.strip()
                break
    else:
        while start < len(lines) and (not lines[start].strip() or is_chrome(lines[start]) or is_counter(lines[start])):
            start += 1
    body = [line for line in cut_tail(lines, start, lambda line: line.strip().casefold() in _TAIL)
            if not is_chrome(line)]
    return Extracted(body="\n".join(body), format="qiita-text", source="qiita", title=title,
                     published_at=published, updated_at=updated)


def _time(soup: BeautifulSoup, prop: str) -> str | None:
    el = soup.find("time", attrs={"itemprop": prop})
    return str(el.get("datetime")) if isinstance(el, Tag) and el.get("datetime") else None


def _json_ld(soup: BeautifulSoup) -> dict[str, str]:
    for script in soup.find_all("script", type="application/ld+json"):
        try:
            data = json.loads(script.string or "")
        except json.JSONDecodeError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if isinstance(obj, dict) and obj.get("datePublished"):
                return {k: str(v) for k, v in obj.items() if isinstance(v, str)}
    return {}


def _str(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None
