"""Anything else: markdown with or without front matter, arbitrary HTML pages, plain text."""

from __future__ import annotations

import re

from notepipe.document import Document, FrontMatter, parse
from notepipe.document import split_front_matter as split_document_front
from notepipe.formats._base import Extracted
from notepipe.formats._chrome import drop_chrome, trim_edges
from notepipe.formats._dates import to_iso
from notepipe.formats._html_markdown import Drop, canonical, meta, text_of, to_markdown
from notepipe.formats._page import Element, Page
from notepipe.formats.github import leading_heading
from notepipe.text import repair_dump

_QIITA_ID = re.compile(r"^[0-9a-f]{20}$")
# Containers that hold site furniture rather than the article, by tag, role or class/id words.
_FURNITURE = Drop(
    "nav", "header", "footer", "aside", "[role=navigation]", "[role=banner]", "[role=contentinfo]",
    "[class*=cookie]", "[id*=cookie]", "[class*=sidebar]", "[id*=sidebar]", "[class*=share]", "[class*=related]",
    "[class*=comment]", "[id*=comment]", "[class*=breadcrumb]", "[class*=widget]", "[class*=banner]",
    "[class*=newsletter]", "[class*=subscribe]", "[class*=advert]", "[class*=ad-]",
)
_MARKDOWN_HINT = re.compile(r"^(?:#{1,6} |```|> |[-*] |\d+\. )|\]\(|\*\*", re.MULTILINE)


# A publication date written as a line of the body (`Date: 2018-07-23`), read when no front matter gives one.
_DATE_LINE = re.compile(r"^(?:date|published|公開日|投稿日)\s*[:：]\s*(\S.*)$", re.IGNORECASE)
_DATE_LINE_BLOCKS = 8  # only near the top: a date further down is some other event's


def split_front_matter(text: str) -> tuple[dict[str, object], str | None, str]:
    """(fields, front matter text with its closing newline, body) of a markdown file, read as `document`
    reads it (YAML, TOML or a Pandoc title block; lenient); fields are empty without front matter."""
    front, body = split_document_front(text)
    if front.text is None:
        return {}, None, text.lstrip("\ufeff")
    return dict(front.fields), front.text + "\n", body.lstrip("\n")


def _date_line(doc: Document) -> str | None:
    for block in doc.blocks[:_DATE_LINE_BLOCKS]:
        if block.kind in {"code", "math"}:
            continue
        for line in block.lines():
            m = _DATE_LINE.match(line.strip())
            if m and (date := to_iso(m.group(1))):
                return date
    return None


def from_markdown(text: str) -> Extracted:
    """Markdown; Qiita CLI front matter (`id`, `organization_url_name`, …) marks a Qiita post. The title is the
    front matter's, else the Pandoc title block's, else the first H1, else the first heading."""
    fields, front, body = split_front_matter(text)
    body = "\n".join(trim_edges(body.split("\n"))).strip("\n")
    doc = parse((front or "") + body)  # (the pipeline cleans this same parse)
    tags = fields.get("tags") or fields.get("categories") or []
    item_id = str(fields.get("id") or "")
    is_qiita = bool(_QIITA_ID.match(item_id)) or {"organization_url_name", "ignorePublish"} & fields.keys()
    date = FrontMatter(fields).date
    return Extracted(
        body=body,
        format="markdown",
        source="qiita" if is_qiita else "unknown",
        title=doc.title,
        published_at=(to_iso(date) if date else None) or _date_line(doc),
        updated_at=to_iso(str(fields["updated_at"])) if fields.get("updated_at") else None,
        native_id=item_id if _QIITA_ID.match(item_id) else None,
        tags=tuple(str(t) for t in (tags if isinstance(tags, list) else str(tags).replace(",", " ").split())),
        front_matter=front,
    )


def looks_like_markdown(text: str) -> bool:
    """Enough markdown syntax to treat a file as markdown rather than a plain dump: two hints, or YAML front
    matter (a `---` block of `key: value` fields opening the file) whatever the body looks like."""
    return len(_MARKDOWN_HINT.findall(text[:20_000])) >= 2 or bool(split_front_matter(text)[0])


def from_text(lines: list[str]) -> Extracted:
    """A plain text file: known chrome lines dropped, a leading `# ` heading taken as the title."""
    kept = trim_edges(drop_chrome(lines))
    return Extracted(body="\n".join(kept), format="text", title=leading_heading(repair_dump("\n".join(kept))))


def _main(page: Page) -> Element | None:
    """The first of `article`, `main`, `[role=main]`, `#content`, `.content`, `body` on the page."""
    for tag in ("article", "main"):
        if (el := next(page.select(tag), None)) is not None:
            return el
    if (el := page.with_attr("role", "main")) is not None or (el := page.by_id("content")) is not None:
        return el
    if (el := next(page.with_class("content"), None)) is not None:
        return el
    return next(page.select("body"), None)


def from_html(page: Page) -> Extracted:
    """Any page: the `<article>`/`<main>` (else `<body>`) without navigation, banners and sidebars."""
    url = canonical(page)
    title = meta(page, "og:title") or text_of(page.first("h1")) or text_of(page.first("title"))
    main = _main(page)
    root: Element | Page = main if main is not None else page
    time_el = next((t for t in page.iter("time") if t.get("datetime") is not None), None)
    published = meta(page, "article:published_time", "datePublished") or (
        time_el.get("datetime") if time_el is not None else None
    )
    body = to_markdown(root, base_url=url, drop=_FURNITURE)
    return Extracted(
        body="\n".join(drop_chrome(body.split("\n"))),
        format="html",
        title=title,
        author=meta(page, "author", "article:author", dropped=(root, _FURNITURE)),
        published_at=to_iso(published),
        url=url,
    )
