"""Anything else: markdown with or without front matter, arbitrary HTML pages, plain text."""

from __future__ import annotations

import re

import yaml

from notepipe.formats import _yaml
from notepipe.formats._base import Extracted
from notepipe.formats._chrome import drop_chrome, trim_edges
from notepipe.formats._dates import to_iso
from notepipe.formats._dom import Element, Page
from notepipe.formats._html import Drop, canonical, meta, text_of, to_markdown
from notepipe.formats.github import leading_heading

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_QIITA_ID = re.compile(r"^[0-9a-f]{20}$")
# Containers that hold site furniture rather than the article, by tag, role or class/id words.
_FURNITURE = Drop(
    "nav", "header", "footer", "aside", "[role=navigation]", "[role=banner]", "[role=contentinfo]",
    "[class*=cookie]", "[id*=cookie]", "[class*=sidebar]", "[id*=sidebar]", "[class*=share]", "[class*=related]",
    "[class*=comment]", "[id*=comment]", "[class*=breadcrumb]", "[class*=widget]", "[class*=banner]",
    "[class*=newsletter]", "[class*=subscribe]", "[class*=advert]", "[class*=ad-]",
)
_MARKDOWN_HINT = re.compile(r"^(?:#{1,6} |```|> |[-*] |\d+\. )|\]\(|\*\*", re.MULTILINE)


def split_front_matter(text: str) -> tuple[dict[str, object], str | None, str]:
    """(fields, front matter text, body) of a markdown file; fields are empty without valid YAML."""
    m = _FRONT.match(text.lstrip("\ufeff"))
    if not m:
        return {}, None, text
    try:
        fields = _yaml.safe_load(m.group(1))
    except yaml.YAMLError:
        return {}, None, text
    if not isinstance(fields, dict):
        return {}, None, text
    return {str(k): v for k, v in fields.items()}, m.group(0), text.lstrip("\ufeff")[m.end() :]


def from_markdown(text: str) -> Extracted:
    """Markdown; Qiita CLI front matter (`id`, `organization_url_name`, …) marks a Qiita post."""
    fields, front, body = split_front_matter(text)
    body = "\n".join(trim_edges(body.split("\n")))
    tags = fields.get("tags") or fields.get("categories") or []
    item_id = str(fields.get("id") or "")
    is_qiita = bool(_QIITA_ID.match(item_id)) or {"organization_url_name", "ignorePublish"} & fields.keys()
    date = fields.get("date") or fields.get("created_at") or fields.get("published")
    return Extracted(
        body=body.strip("\n"),
        format="markdown",
        source="qiita" if is_qiita else "unknown",
        title=str(fields.get("title") or "").strip() or leading_heading(body),
        published_at=to_iso(str(date)) if date else None,
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
    return Extracted(body="\n".join(kept), format="text", title=leading_heading("\n".join(kept)))


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
