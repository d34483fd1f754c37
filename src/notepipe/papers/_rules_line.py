"""Title rules that read one line at a time: quotes, emphasis, links and inline `Title(URL)`."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Sequence

from notepipe.papers._arxiv import IdMatch, iter_arxiv_ids
from notepipe.papers._bib import VENUE_RE, Meta, parse_authors, parse_venue, trailing_meta
from notepipe.papers._doc import Doc, Line, matches_per_run
from notepipe.papers._link import LINE_STRIDE, Mention
from notepipe.papers._runs import latin_run_above, latin_run_before, split_trailing_paren
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
# Possessive white space (what follows never starts with it): one pass over a long gap, not one per split point.
# Anchored by `match` (at a position of the line, too: no `^`).
_AFTER_META_RE = re.compile(
    r"\s*+(?:[,.]\s*+)?(?:[A-Z][\w'’-]+,\s*[A-Z]\.|In\s|arXiv|Proc|Advances|Journal|\(?(?:19|20)\d\d\b|\(?"
    + _VENUES
    + ")"
)
_AFTER_PAPER_RE = re.compile(r"^[\s」』)]*+(?:という|っていう|の|라는|이라는|란|는)?\s*+(?:論文|논문|papers?\b)")
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
_HATENA_START_RE = re.compile(r"\[https?://")
_URL_RUN_RE = re.compile(r"[^\s\]]*")
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
_QUOTE_CHARS_RE = re.compile('["“”『』]')
_ALNUM_RE = re.compile(r"[^\W_]")  # what str.isalnum() is true of
# A run with this many letters and digits is over 250 characters once cleaned (cleaning drops at most 30 of them,
# in lead labels): never a title, so a rule need not read further back than that.
_TITLE_ALNUM = 281


def _pos(i: int, col: int = 0) -> int:
    return i * LINE_STRIDE + col


def _first_id_after(ids: Sequence[IdMatch], starts: list[int], start: int, stop: int | None = None) -> str | None:
    k = bisect_left(starts, start)  # `ids` are in order of their starts
    if k < len(ids) and (stop is None or ids[k].start < stop):
        return ids[k].arxiv_id
    return None


def _rstrip_at(text: str, end: int) -> int:
    """len(text[:end].rstrip()), reading only the white space."""
    while end > 0 and text[end - 1].isspace():
        end -= 1
    return end


def _before_colon(text: str, end: int) -> int:
    """Where the words before `end` end: past trailing white space, then one colon and the white space before it."""
    r = _rstrip_at(text, end)
    if r > 0 and text[r - 1] in ":：":
        r = _rstrip_at(text, r - 1)
    return r


def _labelled(text: str, end: int) -> bool:
    """`_BEFORE_LABEL_RE.search(text[:end])`, read near `end` only (a label is at most 9 characters)."""
    r = _before_colon(text, end)
    return _BEFORE_LABEL_RE.search(text, max(0, r - 12), end) is not None


def _quote_context(text: str, start: int, floor: int, after: str) -> tuple[float, Meta]:
    """Threshold and metadata for a quoted string at `start`, from what surrounds it.

    Authors are read from the run before it only if that run starts after `floor` (the end of the quote two
    before): a run reaching back over two other quoted strings is not this title's author list.
    """
    meta = Meta()
    if _AFTER_META_RE.match(after):
        meta = trailing_meta(after.lstrip(" ,."))
    labelled = _labelled(text, start)
    run = latin_run_above(text, start, floor)
    run = run.rstrip(" ,.:") if run else run
    if run and not labelled:
        b = _rstrip_at(text, start)
        if (b > 0 and text[b - 1] in ",.") or "et al" in run:
            authors = parse_authors(run)
            if authors:
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
    id_starts = [x.start for x in ids]
    matches = list(_QUOTE_RE.finditer(text))
    for k, m in enumerate(matches):
        spans.append((m.start(), m.end()))
        if not accept(m.group(2), STRONG):
            continue  # not a title at the lowest threshold: the context cannot make it one
        stop = matches[k + 1].start() if k + 1 < len(matches) else len(text)
        floor = matches[k - 2].end() if k >= 2 else 0
        threshold, meta = _quote_context(text, m.start(), floor, text[m.end() : stop])
        title = accept(m.group(2), threshold)
        if title:
            out.append(
                Mention(_pos(i, m.start()), title, _first_id_after(ids, id_starts, m.end(), stop), meta, "quote")
            )
    starts = [s for s, _ in spans]  # the quotes do not overlap: only the last one starting before can hold it
    alnum: list[int] | None = None
    qchars: list[int] = []
    for m in _STRAY_CLOSE_RE.finditer(text):  # opening quote missing: `Title", Zhang, H., ICLR2020`
        k = bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < spans[k][1]:
            continue
        if not _AFTER_META_RE.match(text, m.end()):
            continue
        if alnum is None:
            alnum = [a.start() for a in _ALNUM_RE.finditer(text)]
            qchars = [q.start() for q in _QUOTE_CHARS_RE.finditer(text)]
        n = bisect_left(alnum, m.start())  # the run is read back only as far as a title can reach
        run = latin_run_above(text, m.start(), alnum[n - _TITLE_ALNUM] + 1 if n >= _TITLE_ALNUM else 0)
        title = accept(run, STRONG)
        if title:
            meta = _meta_after(text, m.end(), qchars)
            out.append(Mention(_pos(i, m.start()), title, _first_id_after(ids, id_starts, m.end()), meta, "quote-open"))
    return out


def _meta_after(text: str, end: int, qchars: list[int]) -> Meta:
    """`trailing_meta(text[end:].lstrip(" ,."))`, but authors only from text before the third quote character.

    Author text that runs on over another quoted string is not this title's (and re-reading the rest of the line
    for each stray quote was quadratic).
    """
    t0 = end
    while t0 < len(text) and text[t0] in " ,.":
        t0 += 1
    while t0 < len(text) and text[t0].isspace():
        t0 += 1
    k = bisect_left(qchars, t0) + 2
    if k >= len(qchars):
        return trailing_meta(text[t0:])
    limit = qchars[k]
    meta = parse_venue(text[t0 : t0 + 200])
    if text.startswith("(", t0):
        close = text.find(")", t0, limit)
        meta.authors = parse_authors(text[t0 + 1 : close]) if close > t0 else []
        return meta
    v = VENUE_RE.search(text, t0, limit)  # its start is the same as in text[t0:]: `limit` is a quote character
    head_end = v.start() if v else limit
    cuts = [c for c in (text.find(" In ", t0, head_end), text.find("(", t0, head_end)) if c >= 0]
    if cuts:
        head_end = min(cuts)
    elif not v:
        return meta  # the author text would reach the third quote character
    head = text[t0:head_end].strip(" ,")
    meta.authors = parse_authors(head) if head else []
    return meta


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
    for m in _hatena_matches(line.text):
        url_ids = iter_arxiv_ids(m.group(1))
        aid = url_ids[0].arxiv_id if url_ids else None
        if aid or _PAPER_HOST_RE.match(m.group(1)):
            title = accept(m.group(2), STRONG if aid else MEDIUM)
            if title:
                out.append(Mention(_pos(i, m.start()), title, aid, Meta(), "hatena-link"))
    return out


def _tail_cut(text: str, end: int) -> int:
    """len(_INLINE_TAIL_RE.sub("", text[:end])): the one match ends at `end` and its word right before the colon."""
    r = _before_colon(text, end)
    m = _INLINE_TAIL_RE.search(text, max(0, r - 16), end)  # the longest word, "arxiv preprint", has 14 letters
    return _rstrip_at(text, m.start()) if m else end  # the leftmost match starts where the white space before starts


def _hatena_matches(text: str) -> list[re.Match[str]]:
    """`_HATENA_LINK_RE.finditer(text)`: a failed start fails for every later start before its URL run ends (they
    see the same `:title=` words, fewer of them, and the same `]` after)."""
    return matches_per_run(_HATENA_LINK_RE, _HATENA_START_RE, _URL_RUN_RE, text)


def inline_ids(i: int, line: Line, ids: Sequence[IdMatch]) -> list[Mention]:
    """`Title(https://arxiv.org/abs/ID)`, `Title (arXiv:ID)`, `Title: https://arxiv.org/abs/ID` inside prose.

    The text before an ID is cut by index (`text[:end]` for a shrinking `end`), and its run is read back only as
    far as the end of the ID two before: a run holding two other IDs is not this paper's title.
    """
    text = line.text
    out: list[Mention] = []
    for k, m in enumerate(ids):
        end = _rstrip_at(text, m.start)  # text[:end] is `stripped`
        if not end or text.endswith("](", 0, end):
            continue  # nothing before the ID (no title), or a markdown link (the link rule reads it)
        if text.endswith(("(", "(", "<"), 0, end):
            end -= 1
        elif text.endswith((":", "：", " -", "–", "—"), 0, end):
            while end > 0 and text[end - 1] in ":：-–— ":
                end -= 1
        last = _rstrip_at(text, end)
        while last > 0 and text[last - 1] in ":：":
            last -= 1
        last = _rstrip_at(text, last)
        if text[last - 1 : last] in _TAIL_LAST:
            end = _tail_cut(text, end)
        run = latin_run_above(text, end, ids[k - 2].end if k >= 2 else 0)
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
