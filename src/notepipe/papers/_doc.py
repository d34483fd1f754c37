"""Markdown-aware line model of a post body: front matter, code fences, quotes, lists, headings."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from notepipe.papers._arxiv import IdMatch, iter_arxiv_ids

CJK_CLASS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f"
CJK_RE = re.compile(f"[{CJK_CLASS}]")
_CJK_RUN_RE = re.compile(f"[{CJK_CLASS}]{{2,}}")
_FENCE_RE = re.compile(r"^\s*(?:>\s*)*(`{3,}|~{3,})")
_QUOTE_RE = re.compile(r"^\s*((?:>\s?)+)")
_LIST_RE = re.compile(r"^(\s*)(?:[-*+•・●◦▪‣]|\d{1,3}[.)]|[a-z][.)]|\(\d{1,3}\))\s+")
# `^(#{1,6})\s+(.*?)\s*#*\s*$` on a stripped line, in two steps: the regex took cubic time on a long run of white
# space and `#` (the lazy text tried each end, each end every split of the run); the closing run is stripped instead.
_HEADING_RE = re.compile(r"(#{1,6})\s+")
_SETEXT_RE = re.compile(r"^\s*(=+|-{2,})\s*$")
_SETEXT_FIRST = frozenset("=-")
_AUTOLINK_RE = re.compile(r"<(https?://[^>\s]+)>")
_AUTOLINK_START_RE = re.compile(r"<https?://")
_URL_RUN_RE = re.compile(r"[^>\s]*")
_TAG_RE = re.compile(r"</?[A-Za-z][^<>\n]{0,200}?>|<!--.*?-->")
_ELEMENT_RE = re.compile(r"</?[A-Za-z][^<>\n]{0,200}?>")  # `_TAG_RE` without comments
_INLINE_CODE_RE = re.compile(r"`[^`\n]*`")
_FRONT_RE = re.compile(r"\A---[ \t]*\n(.*?\n)---[ \t]*(?:\n|\Z)", re.DOTALL)
_FRONT_TITLE_RE = re.compile(r"^title\s*:\s*(.+?)\s*$", re.MULTILINE | re.IGNORECASE)


@dataclass(slots=True)
class Line:
    """One line of the body with its markdown structure stripped into fields."""

    text: str  # content without quote/list/heading markers and HTML tags
    quote: int = 0  # blockquote depth
    indent: int = -1  # indentation of the list marker, -1 if not a list item
    heading: int = 0  # heading level (ATX or setext), 0 if none
    cjk: bool = False  # holds a run of CJK characters (a comment line in ja/ko posts)
    ids: tuple[IdMatch, ...] = ()  # IDs of the raw line (offsets into the body)
    text_ids: tuple[IdMatch, ...] = ()  # IDs in `text` (offsets into it), if `ids` has any
    blank: bool = False  # `text` is empty or white space (code and front matter are masked out to "")


@dataclass(slots=True)
class Doc:
    """A post body split into structured lines, plus its front-matter title and every arXiv ID."""

    lines: list[Line]
    front_title: str | None
    ids: list[IdMatch]
    id_lines: list[int]
    filled: list[int]  # the lines that are not blank (most rules read only these)


def _front_matter(text: str) -> tuple[str | None, int]:
    """Return the YAML front-matter title (if any) and how many lines the front matter spans."""
    m = _FRONT_RE.match(text)
    if not m:
        return None, 0
    t = _FRONT_TITLE_RE.search(m.group(1))
    title = t.group(1).strip().strip("\"'") if t else None
    return title or None, m.group(0).count("\n")


def _code_mask(raw: list[str]) -> list[bool]:
    """Mark lines inside fenced code blocks (fence lines included)."""
    mask = [False] * len(raw)
    fence: str | None = None
    for i, line in enumerate(raw):
        m = _FENCE_RE.match(line) if ("`" in line or "~" in line) else None
        if fence is None and m:
            fence = m.group(1)[0] * 3
            mask[i] = True
        elif fence is not None:
            mask[i] = True
            if m and m.group(1).startswith(fence):
                fence = None
    return mask


def _empty() -> Line:
    return Line(text="", blank=True)


# The line every empty or masked line shares (they are most lines); never changed (build_doc copies it first).
_EMPTY = _empty()


def matches_per_run(pattern: re.Pattern[str], start_re: re.Pattern[str], run_re: re.Pattern[str],
                    text: str) -> list[re.Match[str]]:
    """`pattern.finditer(text)` for a pattern that can start only where `start_re` matches, and that, failing at a
    start, fails at every later start before the run `run_re` matches after it ends: one try per run. finditer
    tried every start, each to the end of its run (quadratic in a line of `<https://x<https://x...`)."""
    out: list[re.Match[str]] = []
    pos = 0
    for start in start_re.finditer(text):
        p = start.start()
        if p < pos:
            continue
        m = pattern.match(text, p)
        if m:
            out.append(m)
            pos = m.end()
        else:
            pos = run_re.match(text, p + 1).end()  # type: ignore[union-attr]  # (a `*` pattern always matches)
    return out


def _unwrap_autolinks(s: str) -> str:
    """`_AUTOLINK_RE.sub(r"\\1", s)`: a failed start fails for the rest of its URL run (the same character ends it)."""
    out: list[str] = []
    at = 0
    for m in matches_per_run(_AUTOLINK_RE, _AUTOLINK_START_RE, _URL_RUN_RE, s):
        out += (s[at:m.start()], m.group(1))
        at = m.end()
    return "".join(out) + s[at:] if out else s


def _parse_line(raw: str) -> Line:
    s = raw
    if "<" in s:
        s = _unwrap_autolinks(s)
        # No comment can start after the last `-->`: the comment scan (to the end of the line, for each `<!--`) stops
        # there. No tag crosses it either (a tag holds no `>`).
        cut = s.rfind("-->") + 3
        s = _TAG_RE.sub(" ", s[:cut]) + _ELEMENT_RE.sub(" ", s[cut:]) if cut > 2 else _ELEMENT_RE.sub(" ", s)
    if "`" in s:
        s = _INLINE_CODE_RE.sub(" ", s)
    quote = 0
    m = _QUOTE_RE.match(s) if ">" in s else None
    if m:
        quote = m.group(1).count(">")
        s = s[m.end() :]
    indent = -1
    m = _LIST_RE.match(s)
    if m:
        indent = len(m.group(1).expandtabs(4))
        s = s[m.end() :]
    heading = 0
    stripped = s.strip() if "#" in s else ""
    m = _HEADING_RE.match(stripped)
    if m:
        heading = len(m.group(1))
        s = stripped[m.end() :].rstrip().rstrip("#").rstrip()
    s = s.strip()
    if not s and not quote and indent < 0 and not heading:
        return _EMPTY  # white space, or tags only: the same as an empty line
    return Line(s, quote, indent, heading, _CJK_RUN_RE.search(s) is not None, (), (), not s)


def _mark_setext(lines: list[Line]) -> None:
    """Turn `Title` over `===` (or `---`) into a heading line and blank the underline."""
    # Only lines starting with `=` or `-` can underline; blanking one only ever stops the next from underlining.
    for i in [i for i in range(1, len(lines)) if lines[i].text[:1] in _SETEXT_FIRST]:
        cur, prev = lines[i], lines[i - 1]
        if prev.blank or prev.heading or prev.indent >= 0:
            continue
        m = _SETEXT_RE.match(cur.text)
        if m and cur.indent < 0:
            prev.heading = 1 if m.group(1)[0] == "=" else 2
            cur.text, cur.blank = "", True


def build_doc(body: str) -> Doc:
    """Normalize (NFKC) and split `body` into structured lines; code fences and front matter are masked."""
    if not unicodedata.is_normalized("NFKC", body):
        body = unicodedata.normalize("NFKC", body)
    body = body.replace("\r\n", "\n").replace("\r", "\n")
    front_title, front_lines = _front_matter(body)
    raw = body.split("\n")
    if "```" in body or "~~~" in body:  # a fence is three backticks or tildes
        code = _code_mask(raw)
        lines = [_EMPTY if (not r or code[i] or i < front_lines) else _parse_line(r) for i, r in enumerate(raw)]
    else:
        lines = [_EMPTY if (not r or i < front_lines) else _parse_line(r) for i, r in enumerate(raw)]
    _mark_setext(lines)
    ids = iter_arxiv_ids(body)
    id_lines: list[int] = []
    starts: list[int] = []  # body offset of the line of each ID
    ln, at, line_start = 0, 0, 0
    for m in ids:
        n = body.count("\n", at, m.start)
        if n:
            ln, line_start = ln + n, body.rindex("\n", at, m.start) + 1
        at = m.start
        id_lines.append(ln)
        starts.append(line_start)
    k = 0
    while k < len(ids):
        ln, line_start, first = id_lines[k], starts[k], k
        while k < len(ids) and id_lines[k] == ln:
            k += 1
        line = lines[ln] if lines[ln] is not _EMPTY else _empty()
        found = ids[first:k]
        prev_end = ids[first - 1].end if first else 0
        line.ids = tuple(found)
        line.text_ids = _shifted(raw[ln], line.text, found, line_start, prev_end) or tuple(iter_arxiv_ids(line.text))
        lines[ln] = line
    filled = [i for i, line in enumerate(lines) if not line.blank]
    return Doc(lines=lines, front_title=front_title, ids=ids, id_lines=id_lines, filled=filled)


def _shifted(raw: str, text: str, ids: list[IdMatch], start: int, prev_end: int) -> tuple[IdMatch, ...] | None:
    """The IDs of `text` (the parsed form of `raw`, a line at body offset `start`) from the body's `ids`, if sure.

    `text` is then `raw` without its markers: a slice of it, so an ID scan of `text` finds the body's IDs, moved.
    Not sure when a tag or code span was cut out, a mention crosses a line end, an ID window ends inside the line
    (lines over 160 characters) or a DOI head can reach back further than the window (`doi   : 10.48550/...`).
    """
    if len(raw) > 160 or "<" in raw or "`" in raw or "10.48550" in raw or prev_end > start:
        return None
    a = raw.find(text)  # the first place is the text's: markers have fewer letters than an ID mention
    if a < 0 or not text:
        return None
    a += start
    b = a + len(text)
    if any(m.start < a or m.end > b for m in ids):
        return None
    return tuple(IdMatch(m.arxiv_id, m.start - a, m.end - a) for m in ids)
