"""Anything else: markdown with or without front matter, arbitrary HTML pages, plain text."""

from __future__ import annotations

import re

import yaml
from bs4 import BeautifulSoup, Tag

from notepipe.formats._base import Extracted
from notepipe.formats._chrome import drop_chrome, trim_edges
from notepipe.formats._dates import to_iso
from notepipe.formats._html import canonical, meta, text_of, to_markdown
from notepipe.formats.github import leading_heading

_FRONT = re.compile(r"\A---[ \t]*\n(.*?)\n(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)
_QIITA_ID = re.compile(r"^[0-9a-f]{20}$")
# Containers that hold site furniture rather than the article, by tag, role or class/id words.
_FURNITURE = (
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
        fields = yaml.safe_load(m.group(1))
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
    """Enough markdown syntax to treat a file as markdown rather than a plain dump."""
    return len(_MARKDOWN_HINT.findall(text[:20_000])) >= 2


def from_text(lines: list[str]) -> Extracted:
    """A plain text file: known chrome lines dropped, a leading `# ` heading taken as the title."""
    kept = trim_edges(drop_chrome(lines))
    return Extracted(body="\n".join(kept), format="text", title=leading_heading("\n".join(kept)))


def from_html(soup: BeautifulSoup) -> Extracted:
    """Any page: the `<article>`/`<main>` (else `<body>`) without navigation, banners and sidebars."""
    url = canonical(soup)
    title = meta(soup, "og:title") or text_of(soup.find("h1")) or text_of(soup.title)
    root: Tag | None = None
    for selector in ("article", "main", "[role=main]", "#content", ".content", "body"):
        root = soup.select_one(selector)
        if root is not None:
            break
    root = root or soup
    time_el = soup.find("time", attrs={"datetime": True})
    published = meta(soup, "article:published_time", "datePublished") or (
        str(time_el["datetime"]) if isinstance(time_el, Tag) else None
    )
    body = to_markdown(root, base_url=url, drop=_FURNITURE)
    return Extracted(
        body="\n".join(drop_chrome(body.split("\n"))),
        format="html",
        title=title,
        author=meta(soup, "author", "article:author"),
        published_at=to_iso(published),
        url=url,
    )
