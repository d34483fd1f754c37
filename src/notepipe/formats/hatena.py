"""Hatena Blog: entry HTML pages, blogsync markdown files and text dumps of entries."""

from __future__ import annotations

import re
from dataclasses import replace
from urllib.parse import urlsplit

import yaml

from notepipe.errors import FormatError
from notepipe.formats import _yaml
from notepipe.formats._base import Extracted
from notepipe.formats._chrome import HATENA, is_chrome
from notepipe.formats._dates import to_iso
from notepipe.formats._dump import cut_tail, line_keys
from notepipe.formats._html_markdown import Drop, canonical, meta, text_of, to_markdown
from notepipe.formats._page import Element, Page, classes

_HEADER_LINE = re.compile(r"^(Title|Category|Date|URL|EditURL|PreviewURL|Draft|Scheduled|CustomPath|EntryID):\s?(.*)$")
_BODY_DROP = Drop(".hatena-star-container", ".star-container", ".quote-box", ".entry-footer", ".related-entries",
                  ".hatena-module", ".social-buttons", ".entry-footer-section", ".table-of-contents")
_DATE_ONLY = re.compile(r"^\d{4}[-/]\d{2}[-/]\d{2}$|^\d{4}年\d{1,2}月\d{1,2}日$")
_TAIL = HATENA | frozenset(
    s.casefold()
    for s in ("関連記事", "もっと読む", "コメントを書く", "Related Entry", "Related Entries", "プロフィール",
              "最新記事",
              "月別アーカイブ", "Archive", "Hot Entries", "このブログについて", "検索", "カテゴリー")
)
_TOC = re.compile(r"^\[:contents\]\s*$", re.MULTILINE)
_FOTOLIFE = re.compile(r"\[f:id:[^\]]+\]")
_EMBED = re.compile(r"\[((?:https?)://[^\s\]]+?):(?:embed|title|detail)(?:=([^\]]*))?(?::[^\]]*)?\]")
_NAV = re.compile(r"^(?:«.*|.*»|トップ\s*>.*)$")


def is_page(page: Page) -> bool:
    """A Hatena Blog page: `html[data-blog]`, the admin domain, or the entry article classes."""
    root = page.first("html")
    if root is not None and ("hatena" in (root.get("data-admin-domain") or "") or root.get("data-blog")):
        return True
    # div.entry-content.hatenablog-entry, article.entry .entry-content
    return _entry_div(page, page) is not None or any(
        next(page.with_class("entry-content", article), None) is not None
        for article in page.with_class("entry", tag="article"))


def _entry_div(page: Page, scope: Page | Element) -> Element | None:
    """The first `div.entry-content.hatenablog-entry` below `scope`."""
    divs = page.select("div", scope)
    return next((d for d in divs if {"entry-content", "hatenablog-entry"} <= set(classes(d))), None)


def _under_class(el: Element, token: str) -> bool:
    node = el.getparent()
    while node is not None:
        if token in classes(node):
            return True
        node = node.getparent()
    return False


def from_html(page: Page) -> Extracted:
    """An entry page: `article.entry` → title, date, categories, `.entry-content.hatenablog-entry`."""
    entry = next((a for a in page.select("article") if "entry" in (c := classes(a)) and "no-entry" not in c), None)
    article: Page | Element = entry if entry is not None else page  # article.entry:not(.no-entry), else the page
    content = _entry_div(page, article)
    if content is None:
        content = next(page.with_class("entry-content", article), None)
    if content is None:
        raise FormatError("Hatena page without div.entry-content.hatenablog-entry (an index or empty page?)")
    url = canonical(page)
    root = page.first("html")
    blog = (root.get("data-blog") or "") if root is not None else ""
    author_link = next((el for el in page.iter("link") if "author" in (el.get("rel") or "").split()), None)
    author_href = (author_link.get("href") or "") if author_link is not None else ""
    author = re.search(r"hatena\.ne\.jp/([\w-]+)", author_href)
    time_el = next((t for t in page.select("time", article) if t.get("datetime") is not None), None)  # time[datetime]
    title = text_of(next(page.with_class("entry-title", article), None))  # h1.entry-title, .entry-title
    links = [a for a in page.select("a", article)
             if "entry-category-link" in classes(a) or _under_class(a, "entry-categories")]
    tags = [t for t in (text_of(a) for a in links) if t]  # .entry-categories a, a.entry-category-link
    return Extracted(
        body=to_markdown(content, base_url=url, drop=_BODY_DROP),
        format="hatena-html",
        source="hatena",
        title=title or meta(page, "og:title", dropped=(content, _BODY_DROP)),
        author=author.group(1) if author else blog or (urlsplit(url).hostname if url else None),
        published_at=to_iso(time_el.get("datetime") if time_el is not None else None),
        url=url,
        native_id=_native_id(url),
        tags=tuple(dict.fromkeys(tags)),
    )


def is_blogsync(text: str) -> bool:
    """blogsync files: YAML front matter with Title/EditURL keys, or legacy `Key: value` header lines."""
    head = text.lstrip("\ufeff").split("\n", 12)
    if head and head[0].strip() == "---":
        block = "\n".join(head[1:])
        return "EditURL:" in block or ("Title:" in block and "Date:" in block)
    return len(head) > 1 and bool(_HEADER_LINE.match(head[0])) and bool(_HEADER_LINE.match(head[1]))


def _header_fields(lines: list[str]) -> tuple[dict[str, object], int]:
    """Legacy (or hand-edited, not quite YAML) header lines: `Key: value`, with `- item` lists after `Category:`."""
    fields: dict[str, object] = {}
    categories: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        m = _HEADER_LINE.match(line)
        if m:
            key, value = m.group(1), m.group(2).strip().strip("'\"")
            if key == "Category":
                categories += [v.strip() for v in value.split(",") if v.strip()]
            else:
                fields.setdefault(key, value)
        elif re.match(r"^\s*-\s+\S", line):
            categories.append(line.strip()[1:].strip().strip("'\""))
        else:
            break
        i += 1
    fields["Category"] = categories
    return fields, i


def _hatena_notation(body: str) -> str:
    """Hatena syntax in the markdown source: `[:contents]` goes, `[URL:embed:cite]` becomes the URL."""
    body = _TOC.sub("", body)
    body = _FOTOLIFE.sub("", body)
    return _EMBED.sub(lambda m: f"[{m.group(2)}]({m.group(1)})" if m.group(2) else m.group(1), body)


def has_notation(text: str) -> bool:
    """Hatena's own markup (`[:contents]`, `[URL:embed:cite]`, `[f:id:…]`) marks a Hatena source."""
    return bool(_TOC.search(text) or _EMBED.search(text) or _FOTOLIFE.search(text))


def from_blogsync(text: str) -> Extracted:
    """A blogsync file (`---` YAML, or the legacy header lines), body in the blog's own syntax."""
    text = text.lstrip("\ufeff")
    fields: dict[str, object] = {}
    if text.startswith("---"):
        header, _, body = text[3:].partition("\n---")
        try:
            loaded = _yaml.safe_load(header)
        except yaml.YAMLError:
            loaded = None  # hand-edited headers often have an unquoted colon in the title
        fields = loaded if isinstance(loaded, dict) else _header_fields(header.strip("\n").split("\n"))[0]
        body = body.lstrip("-").lstrip("\n")
    else:
        lines = text.split("\n")
        fields, used = _header_fields(lines)
        body = "\n".join(lines[used:])
    url = str(fields.get("URL") or "") or None
    categories = fields.get("Category") or []
    return Extracted(
        body=_hatena_notation(body).strip("\n"),
        format="hatena-blogsync",
        source="hatena",
        title=str(fields.get("Title") or "").strip() or None,
        author=urlsplit(url).hostname if url else None,
        published_at=to_iso(str(fields.get("Date") or "")),
        url=url,
        native_id=_native_id(url),
        tags=tuple(str(c) for c in (categories if isinstance(categories, list) else [categories])),
    )


def is_dump(lines: list[str], keys: list[str] | None = None) -> bool:
    """A text dump of a Hatena entry: its reader button, footer or star/quote widgets (`keys`:
    `line_keys(lines)`, if at hand)."""
    keys = line_keys(lines) if keys is None else keys
    return sum(1 for k in keys if k in HATENA) >= 2 or any("powered by hatena blog" in k for k in keys)


def from_text(lines: list[str]) -> Extracted:
    """A text dump: date line, title, body, then related entries, comments and the sidebar."""
    date_at = next((i for i, line in enumerate(lines[:60]) if _DATE_ONLY.match(line.strip())), None)
    title = None
    start = 0
    if date_at is not None:
        j = date_at + 1
        while j < len(lines) and not lines[j].strip():
            j += 1
        if j < len(lines):
            title = lines[j].strip()
            start = j + 1
    body = cut_tail(lines, start, lambda line: line.strip().casefold() in _TAIL or bool(_NAV.match(line.strip())))
    body = [line for line in body if not is_chrome(line)]
    return Extracted(
        body=_hatena_notation("\n".join(body)),
        format="hatena-text",
        source="hatena",
        title=title,
        published_at=to_iso(lines[date_at]) if date_at is not None else None,
    )


def from_markdown_dump(post: Extracted) -> Extracted:
    """Markdown that carries Hatena notation: a Hatena entry saved as its source text."""
    return replace(post, body=_hatena_notation(post.body), source="hatena", format="hatena-text")


def _native_id(url: str | None) -> str | None:
    if not url:
        return None
    parts = urlsplit(url)
    return f"{parts.hostname}{parts.path}" if parts.hostname else None
