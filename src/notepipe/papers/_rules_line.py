"""Title rules that read one line at a time: quotes, emphasis, links and inline `Title(URL)`."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from notepipe.papers._arxiv import IdMatch, iter_arxiv_ids
from notepipe.papers._bib import VENUE_RE, Meta, parse_authors, parse_venue, trailing_meta
from notepipe.papers._doc import Doc, Line
from notepipe.papers._link import LINE_STRIDE, Mention
from notepipe.papers._runs import latin_run_before, split_trailing_paren
from notepipe.papers._titles import (
    MEDIUM,
    STRONG,
    accept,
    is_generic_link_text,
    words,
)

_VENUES = VENUE_RE.pattern
_QUOTE_RE = re.compile(r"([\"“『])([^\"“”『』\n]{4,300}?)([\"”』])")
_STRAY_CLOSE_RE = re.compile(r"[\"”]")
_AFTER_META_RE = re.compile(
    r"^\s*[,.]?\s*(?:[A-Z][\w'’-]+,\s*[A-Z]\.|In\s|arXiv|Proc|Advances|Journal|\(?(?:19|20)\d\d\b|\(?" + _VENUES + ")"
)
_AFTER_PAPER_RE = re.compile(r"^[\s」』)]*(?:という|っていう|の|라는|이라는|란|는)?\s*(?:論文|논문|papers?\b)")
_BEFORE_LABEL_RE = re.compile(
    r"(?:原論文|論文名?|タイトル|題目|出典|제목|논문|title|paper|ref(?:erence)?|\[\d{1,3}\])\s*[:：]?\s*$", re.I
)
_EMPH_LINE_RE = re.compile(r"^(\*{1,3}|_{1,3})(?!\s)(.+?)(?<!\s)\1$")
_LEAD_BOLD_RE = re.compile(r"^(\*\*|__)(?!\s)([^*_]{4,250}?)(?<!\s)\1\s*(.+)$")
_BOLD_AFTER_RE = re.compile(r"^[,:\-–—]?\s*(?:\(|\[|by\s|[A-Z][\w'’-]+,\s*[A-Z]\.|(?:19|20)\d\d|" + _VENUES + ")")
_LINK_RE = re.compile(
    r"(?<!!)\[((?:[^\[\]\n]|\[[^\[\]\n]*\]){1,300})\]"  # [text], one level of nested brackets
    r"\(\s*<?([^()\s>]+(?:\([^()\s]*\))?)>?(?:\s+\"[^\"]*\")?\s*\)"  # (url "title")
)
_HATENA_LINK_RE = re.compile(r"\[(https?://[^\s\]]+?):title=([^\]\n]{1,300})\]")  # Hatena `[URL:title=T]`
_PAPER_HOST_RE = re.compile(
    r"^(?:https?://)?(?:www\.)?(?:openreview\.net/(?:forum|pdf)|aclanthology\.org|(?:papers|proceedings)\.(?:nips|neurips)\.cc"
    r"|openaccess\.thecvf\.com|proceedings\.mlr\.press|dl\.acm\.org/doi|ieeexplore\.ieee\.org/(?:document|abstract)"
    r"|(?:www\.)?semanticscholar\.org/paper|paperswithcode\.com/paper|ojs\.aaai\.org|jmlr\.org/papers"
    r"|link\.springer\.com/(?:article|chapter)|www\.ijcai\.org/proceedings|doi\.org/)",
    re.I,
)
_INLINE_TAIL_RE = re.compile(r"\s*(?:arXiv(?: preprint)?|available at|see|link|url|pdf)\s*[:：]?\s*$", re.I)
_TAIL_LAST = frozenset("vVtTeEkK\u212alLfF")  # what the words of `_INLINE_TAIL_RE` can end in (K: Kelvin sign)
_INLINE_MIN_SCORE = 0.5


def _pos(i: int, col: int = 0) -> int:
    return i * LINE_STRIDE + col


def _first_id_after(ids: Sequence[IdMatch], start: int, stop: int | None = None) -> str | None:
    for m in ids:
        if m.start >= start and (stop is None or m.start < stop):
            return m.arxiv_id
    return None


def _quote_context(before: str, after: str) -> tuple[float, Meta]:
    """Threshold and metadata for a quoted string, from what surrounds it."""
    meta = Meta()
    if _AFTER_META_RE.match(after):
        meta = trailing_meta(after.lstrip(" ,."))
    labelled = _BEFORE_LABEL_RE.search(before) is not None
    run = latin_run_before(before, len(before)).rstrip(" ,.:")
    if run and not labelled:
        authors = parse_authors(run)
        if authors and (before.rstrip().endswith((",", ".")) or "et al" in run):
            meta.authors = authors
    strong = bool(meta.authors or meta.venue or meta.year) or labelled
    if strong:
        return STRONG, meta
    return (MEDIUM if _AFTER_PAPER_RE.match(after) else 2.0), meta


def quoted(i: int, line: Line, ids: Sequence[IdMatch]) -> list[Mention]:
    """`"Title", Author, VenueYear`, `Authors, "**Title**," CVPR2018.`, `"Title." arXiv preprint ...`."""
    text = line.text
    out: list[Mention] = []
    spans: list[tuple[int, int]] = []
    matches = list(_QUOTE_RE.finditer(text))
    for k, m in enumerate(matches):
        spans.append((m.start(), m.end()))
        stop = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        threshold, meta = _quote_context(text[: m.start()], text[m.end() : stop])
        title = accept(m.group(2), threshold)
        if title:
            out.append(Mention(_pos(i, m.start()), title, _first_id_after(ids, m.end(), stop), meta, "quote"))
    starts = [s for s, _ in spans]  # the quotes do not overlap: only the last one starting before can hold it
    for m in _STRAY_CLOSE_RE.finditer(text):  # opening quote missing: `Title", Zhang, H., ICLR2020`
        k = bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < spans[k][1]:
            continue
        after = text[m.end() :]
        if not _AFTER_META_RE.match(after):
            continue
        title = accept(latin_run_before(text, m.start()), STRONG)
        if title:
            meta = trailing_meta(after.lstrip(" ,."))
            out.append(Mention(_pos(i, m.start()), title, _first_id_after(ids, m.end()), meta, "quote-open"))
    return out


def emphasis(i: int, line: Line, ids: Sequence[IdMatch]) -> list[Mention]:
    """`> *Title*` summaries, a bold title line, or a bold title followed by venue/links in a list item."""
    text = line.text
    m = _EMPH_LINE_RE.match(text)
    if m and not m.group(2).rstrip("*_ ").endswith((":", "：")):
        threshold = 0.5 if line.quote else MEDIUM
        title = accept(m.group(2), threshold)
        return [Mention(_pos(i), title, ids[0].arxiv_id if len(ids) == 1 else None, rule="emph")] if title else []
    m = _LEAD_BOLD_RE.match(text)
    if m and not m.group(2).rstrip().endswith((":", "：")) and _BOLD_AFTER_RE.match(m.group(3)):
        title = accept(m.group(2), 0.5)
        if title:
            meta = parse_venue(m.group(3)[:80])
            aid = ids[0].arxiv_id if len({x.arxiv_id for x in ids}) == 1 else None
            return [Mention(_pos(i), title, aid, meta, "bold-lead")]
    return []


def links(i: int, line: Line, ids: Sequence[IdMatch]) -> list[Mention]:
    """`[Title](https://arxiv.org/abs/ID) (EMNLP 2020)`; generic `[arxiv]`/`[paper]` texts take the text before."""
    text = line.text
    out: list[Mention] = []
    for m in _LINK_RE.finditer(text):
        label, url = m.group(1), m.group(2)
        url_ids = iter_arxiv_ids(url)
        aid = url_ids[0].arxiv_id if url_ids else None
        if not aid and not _PAPER_HOST_RE.match(url):
            continue
        after = text[m.end() : m.end() + 80]
        meta = parse_venue(after.split("[")[0]) if after.lstrip().startswith(("(", ",", "-", "–")) else Meta()
        if is_generic_link_text(label):
            title = accept(latin_run_before(text, m.start()), _INLINE_MIN_SCORE, min_words=2)
            if title and len(words(title)) < 3 and ":" not in title:
                title = None
        else:
            title = accept(label, STRONG if aid else MEDIUM)
        if title or aid:
            out.append(Mention(_pos(i, m.start()), title, aid, meta, "link"))
    return out


def hatena_links(i: int, line: Line) -> list[Mention]:
    """Hatena Blog's `[https://arxiv.org/abs/ID:title=Title]` link notation."""
    out: list[Mention] = []
    for m in _HATENA_LINK_RE.finditer(line.text):
        url_ids = iter_arxiv_ids(m.group(1))
        aid = url_ids[0].arxiv_id if url_ids else None
        if aid or _PAPER_HOST_RE.match(m.group(1)):
            title = accept(m.group(2), STRONG if aid else MEDIUM)
            if title:
                out.append(Mention(_pos(i, m.start()), title, aid, Meta(), "hatena-link"))
    return out


def inline_ids(i: int, line: Line, ids: Sequence[IdMatch]) -> list[Mention]:
    """`Title(https://arxiv.org/abs/ID)`, `Title (arXiv:ID)`, `Title: https://arxiv.org/abs/ID` inside prose."""
    text = line.text
    out: list[Mention] = []
    for m in ids:
        stripped = text[: m.start].rstrip()
        if not stripped or stripped.endswith("]("):
            continue  # nothing before the ID (no title), or a markdown link (the link rule reads it)
        if stripped.endswith(("(", "(", "<")):
            stripped = stripped[:-1]
        elif stripped.endswith((":", "：", " -", "–", "—")):
            stripped = stripped.rstrip(":：-–— ")
        if stripped.rstrip().rstrip(":：").rstrip()[-1:] in _TAIL_LAST:
            stripped = _INLINE_TAIL_RE.sub("", stripped)
        run = latin_run_before(stripped, len(stripped))
        if not run or any(q in run for q in '"“”'):
            continue
        title, paren = split_trailing_paren(run)
        title = accept(title, _INLINE_MIN_SCORE, min_words=2)
        if title and (len(words(title)) >= 3 or ":" in title):
            meta = trailing_meta(paren) if paren else Meta()
            out.append(Mention(_pos(i, m.start), title, m.arxiv_id, meta, "inline"))
    return out


def line_rules(doc: Doc) -> list[Mention]:
    """Run every single-line rule over the document."""
    out: list[Mention] = []
    lines = doc.lines
    for i in doc.filled:
        line = lines[i]
        text = line.text
        ids = line.text_ids
        if '"' in text or "“" in text or "『" in text:
            out += quoted(i, line, ids)
        if "*" in text or "_" in text:
            out += emphasis(i, line, ids)
        if "](" in text:
            out += links(i, line, ids)
        if ":title=" in text:
            out += hatena_links(i, line)
        if ids:
            out += inline_ids(i, line, ids)
    return out
