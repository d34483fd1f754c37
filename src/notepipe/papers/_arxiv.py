"""arXiv identifier grammar: find, validate and normalize IDs written in free text."""

from __future__ import annotations

import datetime as _dt
import re
from bisect import bisect_right
from dataclasses import dataclass

# Archives that minted old-scheme IDs (`archive/YYMMNNN`, 1991-08 to 2007-03), from arXiv's taxonomy.
OLD_ARCHIVES: frozenset[str] = frozenset(
    {
        "acc-phys", "adap-org", "alg-geom", "ao-sci", "astro-ph", "atom-ph", "bayes-an", "chao-dyn",
        "chem-ph", "cmp-lg", "comp-gas", "cond-mat", "cs", "dg-ga", "funct-an", "gr-qc", "hep-ex",
        "hep-lat", "hep-ph", "hep-th", "math", "math-ph", "mtrl-th", "nlin", "nucl-ex", "nucl-th",
        "patt-sol", "physics", "plasm-ph", "q-alg", "q-bio", "quant-ph", "solv-int", "supr-con",
    }
)  # fmt: skip

_OLD_FIRST_YYMM = 9108  # first old-scheme month (hep-th/9108001)
_OLD_LAST_YYMM = 703  # 2007-03, the last month of the old scheme
_NEW_FIRST_YYMM = 704  # 2007-04, the first month of the new scheme
_FIVE_DIGIT_YYMM = 1501  # from 2015-01 the sequence number has five digits


def _latest_yymm() -> int:
    """The newest YYMM an ID can carry: next month (IDs are minted in UTC; allow one month of slack)."""
    today = _dt.datetime.now(_dt.UTC).date()
    year, month = today.year % 100, today.month + 1
    if month == 13:
        year, month = (year + 1) % 100, 1
    return year * 100 + month


_MAX_YYMM = _latest_yymm()

_ARCHIVE_ALT = "|".join(sorted((re.escape(a) for a in OLD_ARCHIVES), key=len, reverse=True))
# The ID itself: new scheme or old scheme, with an optional version; lookarounds keep it whole.
_ID = (
    r"(?:(?P<new>(?P<nyymm>\d{4})\.(?P<nnum>\d{4,5}))(?!\d)"
    rf"|(?P<old>(?P<arch>{_ARCHIVE_ALT})(?:\.(?P<subj>[A-Za-z][A-Za-z-]{{1,}}))?/(?P<oyymm>\d{{4}})(?P<onum>\d{{3}})))"
    r"(?![0-9])(?:v(?P<ver>\d+))?(?![0-9A-Za-z_])"
)
# Every context that makes a number an arXiv ID: URLs of arXiv and its mirrors, DOIs, `arXiv:` / `arXiv ID`.
_PREFIX = r"""(?:
    (?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html|format|ps|src)/
  | (?:https?://)?ar5iv(?:\.labs\.arxiv)?\.org/(?:abs|html|pdf)/
  | (?:https?://)?(?:www\.)?alphaxiv\.org/(?:abs|overview|pdf)/
  | (?:https?://)?(?:www\.)?huggingface\.co/papers/
  | (?:(?:https?://)?(?:dx\.)?doi\.org/|doi\s*[:：]?\s*)?10\.48550/arxiv\.
  | (?<![\w/.-])arxiv(?:\s+(?:id|no\.?|number|番号|번호))?\s*[:：#]?\s*
  | \beprint\s*=\s*[{"]\s*
)"""
_CTX_RE = re.compile(_PREFIX + _ID, re.IGNORECASE | re.VERBOSE)
# Old-scheme IDs are distinctive enough to stand alone (`hep-th/9901001`), but not inside a path.
_BARE_OLD_RE = re.compile(
    rf"(?<![\w/.-])(?P<arch>{_ARCHIVE_ALT})(?:\.(?P<subj>[A-Z]{{2}}))?/(?P<oyymm>\d{{4}})(?P<onum>\d{{3}})"
    r"(?![0-9])(?:v(?P<ver>\d+))?(?![0-9A-Za-z_/])"
)
# Words at least one of which every prefixed ID contains (what `_CTX_RE` spells case-insensitively).
_ANCHORS = ("arxiv", "ar5iv", "alphaxiv", "huggingface", "10.48550", "eprint")
_BEFORE, _AFTER = 32, 160  # window around an anchor: longest prefix head, prefix tail + ID + version
# How far a prefix can start before its anchor word (`www.`, `http://`, `https://export.`, `https://dx.doi.org/`, ...),
# and the letters such a head starts with. (`doi: 10.48550/...` has a head of any length: see `_doi_head`.)
_HEAD_LENGTHS = (4, 7, 8, 11, 12, 14, 15, 16, 18, 19)
_HEAD_FIRST = frozenset("hwed")
_OLD_HINT_RE = re.compile(r"/\d{7}")  # cheap gate before the old-scheme scan (`archive/YYMMNNN`)
_LETTER = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_WHOLE_RE = re.compile(rf"(?:arxiv:)?{_ID}", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class IdMatch:
    """One arXiv ID occurrence: normalized ID and the span of the whole mention (prefix included)."""

    arxiv_id: str
    start: int
    end: int


def _valid_month(yymm: int) -> bool:
    return 1 <= yymm % 100 <= 12


def _new_id(yymm_s: str, num_s: str) -> str | None:
    """Validate a new-scheme ID (YYMM.NNNN / YYMM.NNNNN) and return it, or None."""
    yymm = int(yymm_s)
    if not _valid_month(yymm) or yymm < _NEW_FIRST_YYMM or yymm > _MAX_YYMM:
        return None
    if len(num_s) != (5 if yymm >= _FIVE_DIGIT_YYMM else 4) or int(num_s) == 0:
        return None
    return f"{yymm_s}.{num_s}"


def _old_id(archive: str, yymm_s: str, num_s: str) -> str | None:
    """Validate an old-scheme ID and return it as arXiv does (`archive/YYMMNNN`, subject class dropped)."""
    archive = archive.lower()
    yymm = int(yymm_s)
    in_range = yymm >= _OLD_FIRST_YYMM or yymm <= _OLD_LAST_YYMM
    if archive not in OLD_ARCHIVES or not _valid_month(yymm) or not in_range or int(num_s) == 0:
        return None
    return f"{archive}/{yymm_s}{num_s}"


def _from_match(m: re.Match[str]) -> str | None:
    if m.group("new"):
        return _new_id(m.group("nyymm"), m.group("nnum"))
    return _old_id(m.group("arch"), m.group("oyymm"), m.group("onum"))


def normalize_arxiv_id(value: str) -> str | None:
    """Return the canonical versionless form of one ID (`arXiv:2007.10909v2` -> `2007.10909`), or None."""
    m = _WHOLE_RE.fullmatch(value.strip())
    return _from_match(m) if m else None


def fold_case(text: str) -> str:
    """`text` lower-cased as re.IGNORECASE matches ASCII letters (`İ`, `ı` match `i`, `ſ` matches `s`); same length.

    Each character keeps its length and its `\\w` / `\\d` / `\\s` class, so a pattern of lower-case ASCII run on the
    result matches where the IGNORECASE pattern matches `text`.
    """
    low = text.lower()
    if len(low) != len(text) or "ı" in low or "ſ" in low:  # only `İ` lower-cases to two characters
        low = text.replace("İ", "i").replace("ı", "i").replace("ſ", "s").lower()
    return low


def _anchors(low: str) -> list[tuple[int, int]]:
    """Start and end of every anchor word in the folded text (overlapping ones included), in order."""
    found: list[tuple[int, int]] = []
    for word in _ANCHORS:
        i = low.find(word)
        while i >= 0:
            found.append((i, i + len(word)))
            i = low.find(word, i + 1)
    found.sort()
    return found


def _windows(anchors: list[tuple[int, int]], size: int) -> list[tuple[int, int]]:
    """Merged spans around the anchors a left-to-right scan finds (no overlaps): every prefixed ID lies inside one."""
    spans: list[tuple[int, int]] = []
    last = 0
    for a_start, a_end in anchors:
        if a_start < last:
            continue  # `huggingfaceprint`: a scan resumes after `huggingface`
        last = a_end
        start, end = max(0, a_start - _BEFORE), min(size, a_end + _AFTER)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    return spans


def _doi_head(text: str, anchor: int, floor: int) -> int:
    """Where `doi` starts in `doi : 10.48550/...` (`10.48550` at `anchor`); some value below `floor` if not above it."""
    j = anchor
    while j > floor and text[j - 1].isspace():
        j -= 1
    if j > floor and text[j - 1] in ":：":
        j -= 1
        while j > floor and text[j - 1].isspace():
            j -= 1
    return j - 3


def _starts(text: str, low: str, anchors: list[tuple[int, int]], start: int, end: int) -> list[int]:
    """Every position in [start, end) where a prefixed ID can begin: at an anchor inside, or a head before one."""
    out: set[int] = set()
    for a_start, a_end in anchors:
        if a_end > end:
            continue
        out.add(a_start)
        for n in _HEAD_LENGTHS:
            p = a_start - n
            if p < start:
                break
            if low[p] in _HEAD_FIRST:
                out.add(p)
        if low[a_start] == "1":
            p = _doi_head(text, a_start, start)
            if p >= start:
                out.add(p)
    return sorted(out)


def iter_arxiv_ids(text: str) -> list[IdMatch]:
    """Every arXiv ID mention in `text`, in order, with its span; invalid or context-free numbers are skipped.

    Finds what `_CTX_RE.finditer` finds over each window around an anchor word, but tries only the positions where
    a match can start (at an anchor word, or a known head before one): same matches, a fraction of the work.
    """
    found: dict[int, IdMatch] = {}
    low = fold_case(text)
    anchors = _anchors(low)
    first = 0
    for start, end in _windows(anchors, len(text)):  # disjoint and in order: each anchor is looked at once
        while anchors[first][0] < start:
            first += 1
        last = first
        while last < len(anchors) and anchors[last][0] < end:
            last += 1
        pos = start
        for p in _starts(text, low, anchors[first:last], start, end):
            if p < pos:
                continue
            m = _CTX_RE.match(text, p, end)
            if m:
                pos = m.end()
                aid = _from_match(m)
                if aid:
                    found[p] = IdMatch(aid, p, pos)
    if "/" in text and _has_old_hint(text):
        taken_starts = [f.start for f in found.values()]  # disjoint spans, in order
        taken_ends = [f.end for f in found.values()]
        for m in _BARE_OLD_RE.finditer(text):
            k = bisect_right(taken_starts, m.start()) - 1
            if k >= 0 and m.start() < taken_ends[k]:
                continue  # inside a prefixed mention
            aid = _old_id(m.group("arch"), m.group("oyymm"), m.group("onum"))
            if aid:
                found[m.start()] = IdMatch(aid, m.start(), m.end())
    return [found[k] for k in sorted(found)]


def _has_old_hint(text: str) -> bool:
    """True if `text` has a letter, `/`, seven digits (`[A-Za-z]/\\d{7}`): the gate before the old-scheme scan."""
    return any(m.start() > 0 and text[m.start() - 1] in _LETTER for m in _OLD_HINT_RE.finditer(text))


def find_arxiv_ids(text: str) -> list[str]:
    """Every arXiv ID mentioned in `text`: versionless, sorted, unique."""
    return sorted({m.arxiv_id for m in iter_arxiv_ids(text)})
