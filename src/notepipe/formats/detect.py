"""Pick the extractor for an input by its content (extension only breaks ties)."""

from __future__ import annotations

import json
import re
from pathlib import PurePath

from notepipe.errors import EmptyInputError, FormatError
from notepipe.formats import generic, github, hatena, qiita
from notepipe.formats._base import Extracted, Input
from notepipe.formats._dump import line_keys
from notepipe.formats._html_markdown import parse

_HTML = re.compile(
    r"\A\s*(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|article|div|meta)\b", re.IGNORECASE | re.DOTALL
)

_MARKDOWN_SUFFIXES = frozenset({".md", ".markdown"})
# The first character `str.strip` keeps: `\s` in a str pattern is `str.isspace`.
_NON_SPACE = re.compile(r"\S")


def extract(inp: Input) -> list[Extracted]:
    """Detect the format of one input and extract its post(s): one, or one per item of an API list."""
    text = inp.text.lstrip("\ufeff")
    first = _NON_SPACE.search(text)  # (what `text.strip()` and `text.lstrip()` would tell, without copying a page)
    if first is None:
        raise EmptyInputError("the input is empty (no text after decoding)")
    suffix = PurePath(inp.path).suffix.lower() if inp.path else ""
    head = first.group()
    if head in "{[" and (suffix == ".json" or not _HTML.match(text)):
        try:
            return qiita.from_json_text(text)
        except json.JSONDecodeError as exc:
            # (a markdown file may open with a Liquid tag, `{{ site.baseurl }}` or `{% include %}`)
            if suffix == ".json" or (head == "{" and suffix not in _MARKDOWN_SUFFIXES):
                raise FormatError(f"invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}") from exc
    if _HTML.match(text) or suffix in {".html", ".htm"}:
        return [_from_html(text)]
    if hatena.is_blogsync(text):
        return [hatena.from_blogsync(text)]
    lines = text.split("\n")
    keys = line_keys(lines)  # (each check compares these with its site's chrome strings)
    if github.is_dump(lines, keys):
        return [github.from_text(lines)]
    if qiita.is_dump(lines, keys):
        return [qiita.from_text(lines)]
    if hatena.is_dump(lines, keys):
        return [hatena.from_text(lines)]
    if suffix in _MARKDOWN_SUFFIXES or generic.looks_like_markdown(text):
        del lines, keys  # (a line each, with its key: several times a long post's size while it is parsed)
        post = generic.from_markdown(text)
        if hatena.has_notation(post.body):
            post = hatena.from_markdown_dump(post)
        return [post]
    return [generic.from_text(lines)]


def _from_html(text: str) -> Extracted:
    page = parse(text)
    if qiita.is_page(page):
        return qiita.from_html(page)
    if hatena.is_page(page):
        return hatena.from_html(page)
    if github.is_page(page):
        return github.from_html(page)
    return generic.from_html(page)
