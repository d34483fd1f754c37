"""Text cleaning: NFKC, markdown reduced to plain text, code blocks kept verbatim, segments."""

from __future__ import annotations

import html
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

BlockKind = Literal["text", "code"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_HRULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_BULLET = re.compile(r"^([ \t]*)[-*+•・][ \t]+(?:\[[ xX]\][ \t]+)?")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
# Labels stop at the next `[`: a long line of unclosed `[` was otherwise rescanned from each one (quadratic).
_IMAGE = re.compile(r"!\[([^\[\]\n]*)\]\((?:[^()\s]|\([^()\s]*\))*(?:[ \t]+\"[^\"]*\")?\)")
_LINK = re.compile(r"(?<!!)\[([^\[\]\n]*)\]\(((?:[^()\s]|\([^()\s]*\))*)(?:[ \t]+\"[^\"]*\")?\)")
_REF_LINK = re.compile(r"\[([^\[\]\n]+)\]\[[^\]\n]*\]")
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^\s<>]+)>")
_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_STRONG = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
# As in CommonMark, `*` emphasizes inside words (Japanese has no spaces); `_` does not.
_EM_STAR = re.compile(r"(?<!\*)\*(?=[^\s*])([^*\n]+?)(?<=[^\s*])\*(?!\*)")
_EM_UNDER = re.compile(r"(?<![\w_])_(?=[^\s_])([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE_SPAN = re.compile(r"(`+)(.+?)\1")
# Every inline pattern (and html.unescape) needs one of these characters to match.
_INLINE_MARKS = re.compile(r"[`<\[*_~&]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# What a quote, heading, rule or bullet marker starts with, once leading spaces and tabs are skipped.
_MARKER_STARTS = frozenset(">#*-_+•・")
# Unfenced code (text dumps of rendered pages lose the fences): ASCII lines that read as statements.
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |for .+:|while .+:|if .+:|elif |else:|return\b|import \w|from \S+ import |with .+:|try:"
    r"|except\b|raise |print\(|const |let |var |function\b|#include|@\w)"
    r"|^\s*[\w.\[\]]+\s*(?:[-+*/%]?=)\s*\S|\w\([^()]*\)(?:\.\w+\(.*\))*\s*$|[;{}]\s*$|^\s*[)\]}]"
)
_MIN_CODE_LINES = 2
# Closing tags a page dump leaves glued to the last line of a `<pre>` block.
_LEFTOVER_CLOSE = re.compile(r"</pre>(?:</div>)*\s*\Z")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of the cleaned body: one line of prose, or one whole code block."""

    text: str
    kind: BlockKind = "text"


def nfkc(text: str) -> str:
    """NFKC-normalize and drop control and zero-width characters (newlines and tabs stay)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Drop first, then normalize: a joiner between a letter and its accent would otherwise leave the pair
    # uncomposed (not NFKC) once it is removed.
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))


def normalize_space(line: str) -> str:
    """Collapse runs of spaces (including ideographic ones) and trim the line."""
    if "  " in line or "\t" in line or "\u00a0" in line or "\u3000" in line:  # else every run is one " "
        line = _SPACES.sub(" ", line)
    return line.strip()


def reduce_inline(line: str) -> str:
    """Reduce inline markdown and stray HTML in one line of prose to plain text, keeping link URLs."""
    if not _INLINE_MARKS.search(line):  # plain prose: no pattern below can match
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
        line = _LINK.sub(_link_text, line)
    if "][" in line:
        line = _REF_LINK.sub(r"\1", line)
    if "<" in line:
        line = _AUTOLINK.sub(r"\1", line)
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


def _link_text(match: re.Match[str]) -> str:
    label, url = match.group(1).strip(), match.group(2).strip()
    if not url or url.startswith("#"):
        return label
    if not label or label == url:
        return url
    return f"{label} ({url})"


def _strip_line_markers(line: str) -> str:
    if line.lstrip(" \t")[:1] not in _MARKER_STARTS:  # no quote, heading, rule or bullet can match
        return _table_row(line)
    while _QUOTE.match(line):
        line = _QUOTE.sub("", line, count=1)
    heading = _ATX.match(line)
    if heading:
        return heading.group(1)
    if _HRULE.match(line):
        return ""
    return _table_row(_BULLET.sub("", line, count=1))


def _table_row(line: str) -> str:
    if "|" in line and line.strip().startswith("|"):
        line = " ".join(cell.strip() for cell in line.strip().strip("|").split("|"))
    return line


def markdown_blocks(markdown: str) -> list[Block]:
    """Split markdown (or a plain-text dump) into prose lines and verbatim code blocks.

    Blank lines between paragraphs are kept as empty prose blocks so the text keeps its paragraphs.
    """
    blocks: list[Block] = []
    lines = nfkc_outside_code(markdown).split("\n")
    i = 0
    while i < len(lines):
        raw = lines[i]
        fence = ("```" in raw or "~~~" in raw) and _FENCE.match(_QUOTE.sub("", raw) if _QUOTE.match(raw) else raw)
        if fence:
            marker = fence.group(1)
            body: list[str] = []
            i += 1
            while i < len(lines) and not lines[i].lstrip(" >").startswith(marker):
                body.append(lines[i])
                i += 1
            code = _LEFTOVER_CLOSE.sub("", "\n".join(line.rstrip() for line in body).strip("\n"))
            if code.strip():
                blocks.append(Block(code, "code"))
            i += 1
            continue
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if raw.strip() and _SETEXT.match(nxt) and not _TABLE_SEP.match(nxt) and not _HRULE.match(raw):
            blocks.append(Block(normalize_space(reduce_inline(_strip_line_markers(raw)))))
            i += 2
            continue
        if "|" in raw and _TABLE_SEP.match(raw):
            i += 1
            continue
        run = _code_run(lines, i) if _is_code_line(raw) else 0  # (a run starts with a code line)
        if run:
            code = "\n".join(_LEFTOVER_CLOSE.sub("", line).rstrip() for line in lines[i : i + run])
            blocks.append(Block(code, "code"))
            i += run
            continue
        text = normalize_space(reduce_inline(_strip_line_markers(raw)))
        blocks.append(Block(text))
        i += 1
    return _squeeze_blank(blocks)


def _is_code_line(line: str) -> bool:
    stripped = line.strip()
    # Mostly ASCII first (cheap; the encoding keeps only the ASCII characters), then the statement patterns.
    if not stripped or (not stripped.isascii() and len(stripped.encode("ascii", "ignore")) < 0.9 * len(stripped)):
        return False
    return bool(_CODE_LINE.search(line))


def _code_run(lines: list[str], start: int) -> int:
    """Length of a run of unfenced code lines starting at `start` (0 when it is not code)."""
    end = start
    while end < len(lines) and (
        _is_code_line(lines[end]) or (end > start and lines[end][:1] in {" ", "\t"} and lines[end].strip())
    ):
        end += 1
    return end - start if end - start >= _MIN_CODE_LINES else 0


@lru_cache(maxsize=2)  # a post's body is normalized for its text, then again for its papers
def nfkc_outside_code(markdown: str) -> str:
    """NFKC every line except those inside fenced code blocks, which stay byte-for-byte."""
    markdown = markdown.replace("\r\n", "\n").replace("\r", "\n")
    if "```" not in markdown and "~~~" not in markdown:  # no fence: no code block
        return _nfkc_lines(markdown)
    out: list[str] = []
    prose: list[str] = []
    marker: str | None = None
    for line in markdown.split("\n"):
        probe = _QUOTE.sub("", line) if _QUOTE.match(line) else line
        fence = _FENCE.match(probe)
        if marker is None:
            prose.append(line)
            if fence:
                marker = fence.group(1)
                out.append(_nfkc_lines("\n".join(prose)))
                prose = []
        else:
            if probe.lstrip().startswith(marker):
                marker = None
            out.append(line)
    if prose:
        out.append(_nfkc_lines("\n".join(prose)))
    return "\n".join(out)


def _nfkc_lines(text: str) -> str:
    """`nfkc` of each line of `text` (no `\\r` in it), joined: NFKC is line-local (a newline neither composes nor
    decomposes, nothing is reordered across it), so a text already in NFKC stays as is; else line by line (cheaper
    than one long normalization: most lines pass its quick check)."""
    text = _INVISIBLE.sub("", text)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "\n".join([unicodedata.normalize("NFKC", line) for line in text.split("\n")])


def _squeeze_blank(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    for block in blocks:
        if block.kind == "text" and not block.text and (not out or (out[-1].kind == "text" and not out[-1].text)):
            continue
        out.append(block)
    while out and out[-1].kind == "text" and not out[-1].text:
        out.pop()
    return out


def render(blocks: list[Block]) -> str:
    """Join blocks into the record's `text`: prose lines, blank lines between paragraphs, code as-is."""
    parts: list[str] = []
    for block in blocks:
        if block.kind == "code":
            if parts and parts[-1] != "":
                parts.append("")
            parts.extend([block.text, ""])
        elif block.text or (parts and parts[-1] != ""):
            parts.append(block.text)
    return "\n".join(parts).strip("\n")


def title_key(text: str) -> str:
    """Letters and digits only, case-folded: how two spellings of one title compare."""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text).casefold() if ch.isalnum())


def clean(markdown: str, title: str | None = None) -> tuple[str, list[Block]]:
    """Clean a post body: returns the plain `text` and its non-empty blocks.

    When the body opens with the post's own `title` (a heading or a dump's first line), that line is
    dropped: the title lives in the record's `title` field, not at the head of `text`.
    """
    blocks = markdown_blocks(markdown)
    first = next((i for i, b in enumerate(blocks) if b.text.strip()), None)
    head = blocks[first] if first is not None else None
    if title and head is not None and head.kind == "text" and title_key(head.text) == title_key(title):
        blocks = _squeeze_blank(blocks[blocks.index(head) + 1 :])
    return render(blocks), [b for b in blocks if b.text.strip()]
