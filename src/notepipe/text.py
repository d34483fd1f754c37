"""Text cleaning: a post's `Document` rendered as plain prose lines, code and math verbatim, NFKC outside them."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from notepipe._unicode import nfkc as _nfkc
from notepipe.document import Block as DocBlock
from notepipe.document import Document, Span, parse

BlockKind = Literal["text", "code", "math"]

# Extractor formats whose body is the text of a rendered page rather than markdown: they are repaired
# (`repair_dump`) before they are parsed, so that CommonMark reads them as the page showed them.
DUMP_FORMATS = frozenset({"text", "qiita-text", "hatena-text", "github-text"})

#: A code fence opening or closing (its marker is group 1), a blockquote marker, and runs of horizontal space.
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?")
SPACES = re.compile(r"[ \t\u00a0\u3000]+")
# Unfenced code (text dumps of rendered pages lose the fences): ASCII lines that read as statements.
CODE_LINE = re.compile(
    r"^\s*(?:def |class |for .+:|while .+:|if .+:|elif |else:|return\b|import \w|from \S+ import |with .+:|try:"
    r"|except\b|raise |print\(|const |let |var |function\b|#include|@\w)"
    r"|^\s*[\w.\[\]]+\s*(?:[-+*/%]?=)\s*\S|\w\([^()]*\)(?:\.\w+\(.*\))*\s*$|[;{}]\s*$|^\s*[)\]}]"
)
# The last character of a match of the `CODE_LINE` patterns that are not anchored at the start of the line.
_CODE_ENDS = frozenset(");{}")
#: Fewer consecutive code-like lines than this are prose that happens to look like a statement.
MIN_CODE_LINES = 2
# Closing tags a page dump leaves glued to the last line of a `<pre>` block.
_LEFTOVER_CLOSE = re.compile(r"</pre>(?:</div>)*\s*\Z")
_INVISIBLE = re.compile(r"[\u200b-\u200f\u2028\u2029\u2060\ufeff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# Lines of a dump that CommonMark would read as syntax the page never showed: a lone list marker (an empty
# item, so the line would vanish), `#タグ` (Qiita's tight heading), a link reference definition (it vanishes).
_LONE_MARKER = re.compile(r"^(?:[*+]|\d{1,9}[.)])$")
_TIGHT_HASH = re.compile(r"^#+(?=[^\s#\x00-\x7f])")
_REF_DEFINITION = re.compile(r"^\[[^\]\n]+\]:")
# A task-list checkbox opening a list item: the text after it is the item.
_CHECKBOX = re.compile(r"^\[[ xX]\][ \t]+")
# Bullets that are not markdown but that people type (and pages render) as list markers.
_TEXT_BULLET = re.compile(r"^[•・][ \t\u3000]+")
_HTTP = ("http://", "https://", "HTTP://", "HTTPS://", "Http://", "Https://")


@dataclass(frozen=True, slots=True)
class Block:
    """A unit of the cleaned body: one line of prose, one whole code block or one display formula."""

    text: str
    kind: BlockKind = "text"


_BLANK = Block("")  # (frozen: one instance serves every blank line)


def nfkc(text: str) -> str:
    """NFKC-normalize and drop control and zero-width characters (newlines and tabs stay)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    # Drop first, then normalize: a joiner between a letter and its accent would otherwise leave the pair
    # uncomposed (not NFKC) once it is removed.
    return unicodedata.normalize("NFKC", _INVISIBLE.sub("", text))


def nfkc_line(line: str) -> str:
    """`nfkc` of one line of prose, without the work where it changes nothing (most lines)."""
    if not line.isascii():
        line = _nfkc(_INVISIBLE.sub("", line))
    elif _INVISIBLE.search(line):
        line = _INVISIBLE.sub("", line)
    return line


def normalize_space(line: str) -> str:
    """Collapse runs of spaces (including ideographic ones) and trim the line."""
    if "  " in line or "\t" in line or "\u00a0" in line or "\u3000" in line:  # else every run is one " "
        line = SPACES.sub(" ", line)
    return line.strip()


# ---------------------------------------------------------------------------------------------------------------
# Text dumps → markdown


def repair_dump(text: str) -> str:
    """A text dump of a rendered page as markdown that reads as the page showed it.

    Runs of unfenced code lines (the page's `<pre>` blocks lost their fences) are fenced, with the `</pre></div>`
    residue removed; outside code, leading indentation goes (four spaces would make an indented code block),
    and lines CommonMark would turn into syntax the page never showed (a lone `*` or `1.`, `#タグ`, a
    `[label]:` line, a `%` first line) are escaped so they stay text.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    out: list[str] = []
    fence: str | None = None
    first = True
    i = 0
    n = len(lines)
    while i < n:
        raw = lines[i]
        if fence is not None:
            out.append(raw)
            if raw.lstrip(" >").startswith(fence):
                fence = None
            i += 1
            continue
        if "```" in raw or "~~~" in raw:
            m = FENCE.match(QUOTE.sub("", raw) if QUOTE.match(raw) else raw)
            if m:
                fence = m.group(1)
                out.append(raw)
                i += 1
                first = False
                continue
        run = code_run(lines, i) if is_code_line(raw) else 0  # (a run starts with a code line)
        if run:
            code = [_LEFTOVER_CLOSE.sub("", line).rstrip() for line in lines[i : i + run]]
            marker = "`" * max(3, 1 + max(len(m) for m in re.findall(r"`+", "\n".join(code)) or [""]))
            out += [marker, *code, marker]
            i += run
            first = False
            continue
        line = raw.lstrip(" \t")
        if "</pre>" in line:
            line = _LEFTOVER_CLOSE.sub("", line)
        if line:
            head = line[0]
            if head in "*+0123456789" and _LONE_MARKER.match(line.rstrip()):
                line = "\\" + line if head in "*+" else re.sub(r"([.)])", r"\\\1", line, count=1)
            elif (head == "#" and _TIGHT_HASH.match(line)) or (head == "[" and _REF_DEFINITION.match(line)) \
                    or (head == "%" and first):
                line = "\\" + line
            first = False
        out.append(line)
        i += 1
    return "\n".join(out)


def is_code_line(line: str) -> bool:
    """Whether a line of a text dump reads as a statement of unfenced code (see `CODE_LINE`)."""
    stripped = line.strip()
    # Mostly ASCII first (cheap; the encoding keeps only the ASCII characters), then the statement patterns.
    if not stripped or (not stripped.isascii() and len(stripped.encode("ascii", "ignore")) < 0.9 * len(stripped)):
        return False
    # The two unanchored statement patterns end a line (only spaces after them): unless the line ends as they do,
    # only the start of the line can match.
    return bool(CODE_LINE.search(line) if stripped[-1] in _CODE_ENDS else CODE_LINE.match(line))


def code_run(lines: list[str], start: int) -> int:
    """Length of a run of unfenced code lines starting at the code line `lines[start]` (0 when too short)."""
    end = start + 1
    while end < len(lines) and (
        is_code_line(lines[end]) or (lines[end][:1] in {" ", "\t"} and lines[end].strip())
    ):
        end += 1
    return end - start if end - start >= MIN_CODE_LINES else 0


# ---------------------------------------------------------------------------------------------------------------
# Document → blocks of the cleaned body


def _link(span: Span) -> str:
    """A link as text: `label (url)` for an absolute http(s) URL, the label alone for a relative or in-page one
    (a path means nothing outside its site), the URL alone when there is no label or the label is the URL."""
    label, url = span.text.strip(), span.url.strip()
    if not url.startswith(_HTTP):
        return label
    if not label or label == url:
        return url
    return f"{label} ({url})"


def _render(spans: Sequence[Span], breaks: str = "\n") -> str:
    """Spans as plain text: link text (with an absolute URL), image alt text, code and math verbatim."""
    parts: list[str] = []
    for span in spans:
        kind = span.kind
        if kind in {"text", "image", "code"}:
            parts.append(span.text)
        elif kind == "link":
            parts.append(_link(span))
        elif kind == "math":
            parts.append(f"$${span.text}$$" if span.display else f"${span.text}$")
        else:  # a line break
            parts.append(breaks)
    return "".join(parts)


def _prose_lines(block: DocBlock) -> list[str]:
    if block.kind == "table_row":
        return [" ".join(text for cell in block.cells if (text := _render(cell, " ").strip()))]
    spans = block.spans
    text = spans[0].text if len(spans) == 1 and spans[0].kind == "text" else _render(spans)
    lines = text.split("\n") if "\n" in text else [text]
    if block.kind == "item":
        if lines[0][:1] == "[" and _CHECKBOX.match(lines[0]):
            lines[0] = _CHECKBOX.sub("", lines[0], count=1)
        if block.marker:
            lines[0] = f"{block.marker} {lines[0]}"
    return lines


def document_blocks(doc: Document) -> list[Block]:
    """The cleaned body of a parsed post: one prose block per line (a paragraph's line breaks separate lines,
    blank lines between source blocks become one empty block), each code block and display formula whole."""
    blocks: list[Block] = []
    prev: DocBlock | None = None
    for block in doc.blocks:
        kind = block.kind
        # A gap of source lines between two blocks (blank lines, a rule, a comment) is a paragraph break; a
        # table's delimiter row is the one gap inside a block run that is not.
        if prev is not None and block.line > prev.end and not (kind == "table_row" and prev.kind == "table_row"):
            _add_prose(blocks, "")
        prev = block
        if kind == "code":
            code = block.spans[0].text if block.spans else ""
            code = "\n".join(line.rstrip() for line in code.split("\n")).strip("\n")
            if "</pre>" in code:
                code = _LEFTOVER_CLOSE.sub("", code)
            if code.strip():
                blocks.append(Block(code, "code"))
        elif kind == "math":
            formula = block.text.strip("\n")
            if formula.strip():
                blocks.append(Block(formula, "math"))
        else:
            for raw in _prose_lines(block):
                line = normalize_space(nfkc_line(raw))
                if line[:1] in "•・" and line:
                    line = _TEXT_BULLET.sub("", line, count=1)
                if line:  # (a line left empty, an image without alt, is no paragraph break)
                    blocks.append(Block(line))
    while blocks and blocks[-1] is _BLANK:
        blocks.pop()
    return blocks


def _add_prose(blocks: list[Block], text: str) -> None:
    """Append a prose line; an empty one as `_BLANK`, never first and never after another blank."""
    if text:
        blocks.append(Block(text))
    elif blocks and blocks[-1] is not _BLANK:
        blocks.append(_BLANK)


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
    """Join blocks into the record's `text`: prose lines, blank lines between paragraphs, code and math as-is."""
    parts: list[str] = []
    for block in blocks:
        if block.kind != "text":
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


def clean_document(doc: Document, title: str | None = None) -> tuple[str, list[Block]]:
    """Clean a parsed post: returns the plain `text` and its non-empty blocks.

    When the body opens with the post's own `title` (a heading or a dump's first line), that line is
    dropped: the title lives in the record's `title` field, not at the head of `text`.
    """
    blocks = document_blocks(doc)
    first = next((i for i, b in enumerate(blocks) if b.text.strip()), None)
    head = blocks[first] if first is not None else None
    if title and head is not None and head.kind == "text" and title_key(head.text) == title_key(title):
        blocks = _squeeze_blank(blocks[blocks.index(head) + 1 :])
    return render(blocks), [b for b in blocks if b.text.strip()]


def clean(markdown: str, title: str | None = None, *, dump: bool = False) -> tuple[str, list[Block]]:
    """Clean a post body given as markdown (`dump`: the text of a rendered page, repaired first)."""
    return clean_document(parse(repair_dump(markdown) if dump else markdown), title)


def nfkc_outside_code(markdown: str) -> str:
    """NFKC every line except those inside fenced code blocks, which stay byte-for-byte (the paper extractor's
    input until it reads the `Document`)."""
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
        probe = QUOTE.sub("", line) if QUOTE.match(line) else line
        fence = FENCE.match(probe)
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
    """`nfkc` of each line of `text` (no `\\r` in it), joined: NFKC is line-local, so a text already in NFKC
    stays as is; else line by line (cheaper than one long normalization: most lines pass its quick check)."""
    text = _INVISIBLE.sub("", text)
    if unicodedata.is_normalized("NFKC", text):
        return text
    return "\n".join([unicodedata.normalize("NFKC", line) for line in text.split("\n")])
