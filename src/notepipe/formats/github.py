"""GitHub: raw markdown files, blob HTML pages and blob-page text dumps."""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from notepipe.document import heading_text, parse
from notepipe.errors import FormatError
from notepipe.formats._base import Extracted
from notepipe.formats._chrome import GITHUB, GITHUB_HEADER, is_chrome
from notepipe.formats._dump import cut_tail, first_content, line_keys, looks_like_title
from notepipe.formats._html_markdown import Drop, canonical, meta, to_markdown
from notepipe.formats._page import Element, Page, classes

_BLOB_URL = re.compile(r"github\.com/([\w.-]+)/([\w.-]+)/blob/([^/]+)/(.+)$")
_LINES_LOC = re.compile(r"^\d+ lines \(\d+ loc\) · [\d.]+ [KMG]?B$")
_FILE_NAME = re.compile(r"^[^/\\]{1,200}\.(?:md|markdown|mdx|txt)$", re.IGNORECASE)
_HEADER_END = frozenset({"file metadata and controls", "latest commit", "history"})
_TAIL = frozenset({"footer navigation", "footer"})
_BODY_DROP = Drop("a.anchor", ".zeroclipboard-container", "clipboard-copy")


def _article(page: Page) -> Element | None:
    return next((a for a in page.select("article") if "markdown-body" in classes(a)), None)


def is_page(page: Page) -> bool:
    """A GitHub blob page: the rendered `article.markdown-body` plus GitHub's own meta."""
    site = (meta(page, "og:site_name") or "").casefold()
    return _article(page) is not None and (site == "github" or "github.com" in (canonical(page) or ""))


def from_html(page: Page) -> Extracted:
    """A blob page: the rendered markdown only."""
    article = _article(page)
    if article is None:
        raise FormatError("GitHub page without article.markdown-body (not a rendered markdown blob?)")
    url = canonical(page)
    owner, repo, path = _parts(url)
    body = to_markdown(article, base_url=url, drop=_BODY_DROP)
    title = parse(body).title  # the first H1, else the first heading
    return Extracted(
        body=body,
        format="github-html",
        source="github",
        title=title or (PurePosixPath(path).stem if path else None),
        author=owner,
        url=url,
        native_id=f"{owner}/{repo}/{path}" if owner and repo and path else None,
    )


def is_dump(lines: list[str], keys: list[str] | None = None) -> bool:
    """A text dump of a blob page: its header chrome near the top (`keys`: `line_keys(lines)`, if at hand)."""
    head = set(line_keys(lines[:150]) if keys is None else keys[:150])
    return len(head & GITHUB) >= 2 or any(_LINES_LOC.match(line.strip()) for line in lines[:150])


def from_text(lines: list[str]) -> Extracted:
    """A blob-page dump: skip the header (up to the last file-view marker), stop at the footer."""
    header_end = 0
    file_name = None
    for i, line in enumerate(lines[:150]):
        key = line.strip().casefold()
        if key in _HEADER_END or _LINES_LOC.match(line.strip()):
            header_end = i + 1
        elif _FILE_NAME.match(line.strip()):
            file_name = line.strip()
            header_end = max(header_end, i + 1)
    start = header_end
    while start < len(lines) and (not lines[start].strip() or lines[start].strip().casefold() in GITHUB_HEADER):
        start += 1
    body = cut_tail(lines, start, lambda line: line.strip().casefold() in _TAIL)
    body = [line for line in body if not is_chrome(line)]
    title = None
    first = first_content(body)
    if first < len(body) and looks_like_title(body[first]):
        title = body[first].strip()
        body = body[first + 1 :]
    elif file_name:
        title = PurePosixPath(file_name).stem
    return Extracted(body="\n".join(body), format="github-text", source="github", title=title)


def leading_heading(body: str) -> str | None:
    """An H1 (ATX or setext) opening the body, as plain text: `# [BERT](url) を**読む**` is BERT を読む."""
    doc = parse(body)
    if not doc.blocks:
        return None
    head = doc.blocks[0]
    return heading_text(head) if head.kind == "heading" and head.level == 1 and not head.quote else None


def _parts(url: str | None) -> tuple[str | None, str | None, str | None]:
    m = _BLOB_URL.search(url or "")
    if not m:
        path = urlsplit(url or "").path.strip("/").split("/")
        return (path[0] or None, path[1] if len(path) > 1 else None, None) if url else (None, None, None)
    return m.group(1), m.group(2), unquote(m.group(4))
