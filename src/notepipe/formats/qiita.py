"""Qiita: API v2 item JSON, article HTML pages (2017 and current layouts) and their text dumps."""

from __future__ import annotations

import json
import re
from typing import Any

from notepipe.document import heading_text, parse
from notepipe.errors import FormatError
from notepipe.formats._base import Extracted
from notepipe.formats._chrome import QIITA, is_chrome, is_counter
from notepipe.formats._dates import to_iso
from notepipe.formats._dump import cut_tail, line_keys
from notepipe.formats._html_markdown import Drop, canonical, meta, text_of, to_markdown
from notepipe.formats._html_markdown import parse as parse_html
from notepipe.formats._page import Element, Page, classes
from notepipe.text import repair_dump

_ITEM_URL = re.compile(r"qiita\.com/([\w-]+)/(?:items|private)/([0-9a-f]{20})")
_DATES = re.compile(
    r"^(?:Last updated at\s*(?P<upd>\d{4}-\d{2}-\d{2})?\s*)?Posted at\s*(?P<pub>\d{4}-\d{2}-\d{2})"
    r"|^(?:最終更新日\s*(?P<upd_ja>\S+)\s*)?投稿日\s*(?P<pub_ja>\S+)",
    re.IGNORECASE,
)
_TAIL = QIITA - {"loginsignup", "copied!"}
_BODY_ID = "personal-public-article-body"
_BODY_DROP = Drop(".alert", ".code-lang", ".hidden", ".footnotes-ref-link")


def is_api_item(obj: Any) -> bool:
    """A Qiita API v2 item: has the keys every item response carries."""
    return isinstance(obj, dict) and {"title", "user"} <= obj.keys() and ("body" in obj or "rendered_body" in obj)


def from_api(item: dict[str, Any]) -> Extracted:
    """One item of the Qiita API v2 (`/items/{id}` or an element of a list page)."""
    if not is_api_item(item):
        raise FormatError("not a Qiita API v2 item: needs title, user and body or rendered_body")
    user = found if isinstance(found := item.get("user"), dict) else {}
    body = item.get("body")
    if not isinstance(body, str) or not body.strip():
        body = to_markdown(parse_html(str(item.get("rendered_body") or "")), drop=_BODY_DROP)
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


def is_page(page: Page) -> bool:
    """A Qiita article page (any layout)."""
    site = meta(page, "og:site_name") or ""
    url = canonical(page) or ""
    return site == "Qiita" or "qiita.com" in url or page.by_id(_BODY_ID) is not None


def _body(page: Page) -> Element | None:
    """The first of `#personal-public-article-body .mdContent-inner`, `#personal-public-article-body`,
    `section.it-MdContent`, `section.markdownContent`, `[itemprop=articleBody]` on the page."""
    outer = page.by_id(_BODY_ID)
    if outer is not None:
        # The first match lies inside the first element with that id, unless a later one repeats the id (or that
        # one is a <template>, which a selector never looks through for an ancestor).
        inner = next(page.with_class("mdContent-inner", outer), None) if outer.tag != "template" else None
        if inner is None:
            inner = next((el for el in page.with_class("mdContent-inner") if _has_body_ancestor(el)), None)
        return inner if inner is not None else outer
    for cls in ("it-MdContent", "markdownContent"):
        if (el := next(page.with_class(cls, tag="section"), None)) is not None:
            return el
    return page.with_attr("itemprop", "articleBody")


def _has_body_ancestor(el: Element) -> bool:
    node = el.getparent()
    while node is not None:
        if node.get("id") == _BODY_ID:
            return True
        node = node.getparent()
    return False


def from_html(page: Page) -> Extracted:
    """An article page: the body container only (never the hidden raw_body textarea)."""
    url = canonical(page)
    body_el = _body(page)
    if body_el is None:
        raise FormatError("Qiita page without an article body (#personal-public-article-body or itemprop=articleBody)")
    match = _ITEM_URL.search(url or "")
    heading = next((h for h in page.select("h1")
                    if h.get("itemprop") == "headline" or "ArticleMainHeader__title" in classes(h)), None)
    title = text_of(heading)
    if not title:
        title = re.sub(r"\s+-\s+Qiita$", "", meta(page, "og:title") or text_of(page.first("title")) or "") or None
    author = (meta(page, "twitter:creator") or "").lstrip("@") or (match.group(1) if match else None)
    published = meta(page, "datePublished", "article:published_time") or _time(page, "datePublished")
    updated = meta(page, "dateModified", "article:modified_time") or _time(page, "dateModified")
    ld = _json_ld(page)
    tags = [t for t in (text_of(a) for a in _tag_links(page, body_el)) if t]
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


def is_dump(lines: list[str], keys: list[str] | None = None) -> bool:
    """A text dump of a Qiita page: its UI strings or its date line near the top (`keys`: `line_keys(lines)`,
    if at hand)."""
    head = lines[:80]
    return any(_DATES.match(line.strip()) for line in head) or sum(
        1 for key in (line_keys(lines) if keys is None else keys) if key in QIITA
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
        title = _dump_title(lines[:date_at])
    else:
        while start < len(lines) and (not lines[start].strip() or is_chrome(lines[start]) or is_counter(lines[start])):
            start += 1
    body = [line for line in cut_tail(lines, start, lambda line: line.strip().casefold() in _TAIL)
            if not is_chrome(line)]
    return Extracted(body="\n".join(body), format="qiita-text", source="qiita", title=title,
                     published_at=published, updated_at=updated)


def _dump_title(head: list[str]) -> str | None:
    """The post's title among the lines above a dump's date line: a heading there (an H1 first: `Title` over
    `=====`), else the last line that is neither chrome, a counter nor a list item (the tag list `* [Python](…)`
    sits next to the title in some dumps)."""
    kept = [line for line in head if not is_chrome(line) and not is_counter(line)]
    doc = parse(repair_dump("\n".join(kept)))
    headings = [b for b in doc.blocks if b.kind == "heading" and b.text.strip()]
    pick = next((b for b in headings if b.level == 1), headings[0] if headings else None)
    if pick is None:
        pick = next((b for b in reversed(doc.blocks) if b.kind in {"paragraph", "html"} and b.text.strip()), None)
        if pick is None:
            return None
        last = [line for line in pick.lines() if line.strip()]
        return " ".join(last[-1].split()) if last else None
    return heading_text(pick)


def _tag_links(page: Page, body: Element) -> list[Element]:
    """The post's tags: links in a `ul.TagList` or to a tag page (`/tags/…`) in the article around the body but
    not in the body (a post may link a tag page in its prose); without an `<article>`, those before the body.
    Sidebars of related posts and trending tags, outside the article or after the body, are not the post's."""
    article = next(body.iterancestors("article"), None)
    inside = set(body.iterdescendants("a"))
    listed = {a for ul in page.select("ul", article) if "TagList" in classes(ul) for a in ul.iterdescendants("a")}
    links = []
    for el in page.iter() if article is None else article.iterdescendants():
        if el is body and article is None:
            break
        if el.tag == "a" and el not in inside and (el in listed or "/tags/" in (el.get("href") or "")) \
                and page.reachable(el):
            links.append(el)
    return links


def _time(page: Page, prop: str) -> str | None:
    el = next((t for t in page.iter("time") if t.get("itemprop") == prop), None)
    return el.get("datetime") if el is not None and el.get("datetime") else None


def _json_ld(page: Page) -> dict[str, str]:
    for script in page.iter("script"):
        if script.get("type") != "application/ld+json":
            continue
        try:
            data = json.loads(script.text or "")
        except json.JSONDecodeError:
            continue
        for obj in data if isinstance(data, list) else [data]:
            if isinstance(obj, dict) and obj.get("datePublished"):
                return {k: str(v) for k, v in obj.items() if isinstance(v, str)}
    return {}


def _str(value: Any) -> str | None:
    return str(value).strip() or None if value is not None else None
