"""Text cleaning: NFKC, markdown reduced to plain text, code blocks kept verbatim, segments."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from notepipe._inline import INLINE_MARKS, reduce_inline

BlockKind = Literal["text", "code"]

_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
_ATX = re.compile(r"^ {0,3}#{1,6}(?:[ \t]+|$)(.*?)(?:[ \t]+#+)?[ \t]*$")
_SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_SETEXT_STARTS = frozenset("=-")  # what an underline starts with once its leading spaces are skipped
_HRULE = re.compile(r"^ {0,3}(?:(?:\*[ \t]*){3,}|(?:-[ \t]*){3,}|(?:_[ \t]*){3,})$")
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
_BULLET = re.compile(r"^([ \t]*)[-*+•・][ \t]+(?:\[[ xX]\][ \t]+)?")
_TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(?:\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")
# Labels stop at the next `[`: a long line of unclosed `[` was otherwise rescanned from each one (quadratic).
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# What a quote, heading, rule or bullet marker starts with, once leading spaces and tabs are skipped.
_MARKER_STARTS = frozenset(">#*-_+•・")
# Unfenced code (text dumps of rendered pages lose the fences): ASCII lines that read as statements.
_CODE_LINE = re.compile(
    r"^\s*(?:def |class |for .+:|while .+:|if .+:|elif |else:|return\b|import \w|from \S+ import |with .+:|try:"
    r"|except\b|raise |print\(|const |let |var |function\b|#include|@\w)"
    r"|^\s*[\w.\[\]]+\s*(?:[-+*/%]?=)\s*\S|\w\([^()]*\)(?:\.\w+\(.*\))*\s*$|[;{}]\s*$|^\s*[)\]}]"
)
# The last character of a match of the `_CODE_LINE` patterns that are not anchored at the start of the line.
_CODE_ENDS = frozenset(");{}")
_MIN_CODE_LINES = 2
# Closing tags a page dump leaves glued to the last line of a `<pre>` block.
_LEFTOVER_CLOSE = re.compile(r"</pre>(?:</div>)*\s*\Z")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of the cleaned body: one line of prose, or one whole code block."""

    text: str
    kind: BlockKind = "text"


_BLANK = Block("")  # (frozen: one instance serves every blank line)


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
    n_lines = len(lines)
    i = 0
    while i < n_lines:
        raw = lines[i]
        if not raw or raw.isspace():  # a blank line: no step below can match; it reduces to ""
            if blocks and blocks[-1] is not _BLANK:  # (as `_squeeze_blank` would: no blank first or after a blank)
                blocks.append(_BLANK)
            i += 1
            continue
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
        nxt = lines[i + 1] if i + 1 < n_lines else ""
        if nxt.lstrip(" ")[:1] in _SETEXT_STARTS and _SETEXT.match(nxt) and not _TABLE_SEP.match(nxt) \
                and not _HRULE.match(raw):  # (`raw` is not blank here)
            _add_prose(blocks, normalize_space(reduce_inline(_strip_line_markers(raw))))
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
        # `_strip_line_markers` returns the line as is unless it starts with a marker or has a `|`.
        text = _strip_line_markers(raw) if "|" in raw or raw.lstrip(" \t")[:1] in _MARKER_STARTS else raw
        _add_prose(blocks, normalize_space(reduce_inline(text) if INLINE_MARKS.search(text) else text))
        i += 1
    # Every empty prose block is `_BLANK`, never first and never after another: of what `_squeeze_blank` does,
    # dropping the blanks at the end is left.
    while blocks and blocks[-1] is _BLANK:
        blocks.pop()
    return blocks


def _add_prose(blocks: list[Block], text: str) -> None:
    """Append a prose line; an empty one as `_BLANK`, and only where `_squeeze_blank` would keep it."""
    if text:
        blocks.append(Block(text))
    elif blocks and blocks[-1] is not _BLANK:
        blocks.append(_BLANK)


def _is_code_line(line: str) -> bool:
    stripped = line.strip()
    # Mostly ASCII first (cheap; the encoding keeps only the ASCII characters), then the statement patterns.
    if not stripped or (not stripped.isascii() and len(stripped.encode("ascii", "ignore")) < 0.9 * len(stripped)):
        return False
    # The two unanchored statement patterns end a line (only spaces after them): unless the line ends as they do,
    # only the start of the line can match.
    return bool(_CODE_LINE.search(line) if stripped[-1] in _CODE_ENDS else _CODE_LINE.match(line))


def _code_run(lines: list[str], start: int) -> int:
    """Length of a run of unfenced code lines starting at the code line `lines[start]` (0 when too short)."""
    end = start + 1
    while end < len(lines) and (
        _is_code_line(lines[end]) or (lines[end][:1] in {" ", "\t"} and lines[end].strip())
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
        if "```" not in line and "~~~" not in line:  # neither opens nor closes a fence (both need a marker)
            (prose if marker is None else out).append(line)
            continue
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


@lru_cache(maxsize=4096)  # paper titles recur within a post and across thousands of posts
def title_key(text: str) -> str:
    """Letters and digits only, NFKC and case-folded: how two spellings of one title compare
    (`AUGMIX: A ...` == `AugMix: A ...`)."""
    return "".join(filter(str.isalnum, unicodedata.normalize("NFKC", text).casefold()))


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
