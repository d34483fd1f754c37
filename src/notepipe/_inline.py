"""Inline markdown and stray HTML in one line of prose → plain text, link URLs kept as `label (url)`."""

from __future__ import annotations

import html
import re

_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"]*\")?\)")
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:[ \t]+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\[\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
# Ruby readings and their fallback parentheses: 系列<rt>けいれつ</rt> is the text 系列.
_READING = re.compile(r"<(rt|rp)(?:\s[^<>\n]*)?>[^<>\n]*</\1\s*>", re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# As in CommonMark, `*` emphasizes inside words (Japanese has no spaces); `_` does not.
_EM_STAR = re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# Every inline pattern (and html.unescape) needs one of these characters to match.
INLINE_MARKS = re.compile(r"[`<\[*_~&]")


def reduce_inline(line: str, *, urls: bool = True) -> str:
    """Reduce inline markdown and stray HTML in one line of prose to plain text, keeping link URLs as
    `label (url)` (`urls=False`, as for a title: the label alone)."""
    if not INLINE_MARKS.search(line):  # plain prose: no pattern below can match
        return line
    spans: list[str] = []

    def _keep(match: re.Match[str]) -> str:
        spans.append(match.group(2).strip())
        return f"\x00{len(spans) - 1}\x00"

    # Each step runs only where the text its pattern must match is in the line (as the steps before left it).
    if "`" in line:
        line = _CODE_SPAN.sub(_keep, line)  # code spans are verbatim: no markup inside them
    if "<" in line:
        line = _BR.sub(" ", _COMMENT.sub("", line))
    if "](" in line:
        line = _IMAGE.sub(lambda m: m.group(1), line)
        line = _LINK.sub(_link_text if urls else _link_label, line)
    if "][" in line:
        line = _REF_LINK.sub(r"\1", line)
    if "<" in line:
        line = _AUTOLINK.sub(r"\1", line)
        if "<r" in line or "<R" in line:
            line = _READING.sub("", line)
        line = _TAG.sub("", line)
    for pattern, marks in ((_STRONG, ("**", "__")), (_STRIKE, ("~~",))):
        if any(mark in line for mark in marks):
            line = pattern.sub(lambda m: m.group(2) if m.lastindex == 2 else m.group(1), line)
    if "*" in line:
        line = _EM_STAR.sub(r"\1", line)
    if "_" in line:
        line = _EM_UNDER.sub(r"\1", line)
    line = html.unescape(line)  # (returns at once when there is no `&`)
    return re.sub("\x00(\\d+)\x00", lambda m: spans[int(m.group(1))], line) if "\x00" in line else line


def _link_label(match: re.Match[str]) -> str:
    return match.group(1).strip() or match.group(2).strip()


def _link_text(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2).strip()
    if not url or url.startswith("#"):
        return label
    if not label or label == url:
        return url
    return f"{label} ({url})"
