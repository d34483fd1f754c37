"""Authors, venue and year around a title, and unquoted bibliography entries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

_VENUES = (
    "NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|BMVC|WACV|ACCV|AAAI|IJCAI|ACL|EMNLP|NAACL(?:-HLT)?|COLING|EACL|AACL"
    "|CoNLL|TACL|KDD|WWW|SIGIR|WSDM|CIKM|RecSys|ICASSP|INTERSPEECH|Interspeech|TPAMI|PAMI|JMLR|TMLR|IJCV"
    "|ICRA|IROS|CoRL|MICCAI|MLSys|SysML|UAI|AISTATS|COLT|ICDM|ICIP|3DV|SIGGRAPH(?: Asia)?|CHI|UIST|TNNLS|TKDE"
    "|LREC|ICPR|ECAI|ISMIR|CoRR|arXiv"
)
VENUE_RE = re.compile(
    rf"(?<![A-Za-z])(?P<venue>{_VENUES})(?:\s*'?(?P<year>(?:19|20)\d\d|\d\d))?(?P<ws>\s+Workshops?)?(?![A-Za-z])"
)
_YEAR_RE = re.compile(r"(?<![\d.])(?:19[89]\d|20[0-4]\d)(?!\d|\.\d)")
_PAREN_RE = re.compile(r"\([^()]*\)")
_SURNAME_INITIALS_RE = re.compile(r"([A-Z][\w'’-]+(?: [A-Z][\w'’-]+)?),\s*((?:[A-Z]\.\s?-?)+)")
# Regexes scanned over author text keep to one pass over a long run of white space: a match is not tried inside
# one (`(?<!\s)|(?!\s)`: where the run starts matches wherever a later place in it would) and the white space
# before a word or comma is possessive (nothing after it can take white space back). Same matches as the plain
# forms `,\s*(?:and\s+)?|\s+and\s+|\s*&\s*|、` and `\s*,?\s*(?:et al...)\s*,?\s*`, which took quadratic and cubic
# time in the length of such a run.
_WORD_RUN_RE = re.compile(r"[\w'’-]+")
_UPPER_RE = re.compile(r"[A-Z]")
_SPLIT_RE = re.compile(r",\s*(?:and\s+)?|(?:(?<!\s)|(?!\s))(?:\s++and\s+|\s*+&\s*)|、")
# One parse per name: the initials (`J.`, `J.-P.`, `J. K. `) are one atomic token, and the word token no longer
# takes initials after it (they are initials tokens), which made `Ab A. A. A. ... x` exponential. Same language.
_PERSON_RE = re.compile(
    r"^(?:(?>[A-Z][a-z]?\.(?:\s?-?[A-Z]\.)*\s?)|[A-Z][\w'’-]*\s)*[A-Z][\w'’-]+(?:\s(?:Jr\.|II|III))?$"
)
_ETAL_RE = re.compile(
    r"(?:(?<!\s)|(?!\s))\s*+(?:,\s*+)?(?:et\s+al\.?|\.\.\.|…|(?<=\s)(?:외|等|他|ほか|ら)(?:\s*\d+\s*(?:名|명|人))?$)"
    r"\s*+(?:,\s*+)?"
)

# Unquoted bibliography entries: `A. Vaswani, N. Shazeer, ... Title. arXiv:1706.03762, 2017.` and
# `Zhe Cao, ... 2017. Title. In CVPR.`
_NAME = (
    r"(?:[A-Z][\w'’-]+,\s[A-Z]\.(?:\s?-?[A-Z]\.)*(?!\w)"  # Surname, I. J.
    r"|(?:[A-Z][a-z]?\.(?:\s?-?[A-Z]\.)*\s?)?[A-Z][\w'’-]+(?:\s(?:[A-Z]\.\s?)*[A-Z][\w'’-]+)?)"  # A. Vaswani, Zhe Cao
)
_SEP = r"(?:,?\s*(?:and|&)\s+|,\s*)"
_AUTHORS = rf"(?P<authors>(?>{_NAME}(?:{_SEP}{_NAME})*+)(?:,?\s*(?:et\s+al\.?|\.\.\.|…))?)"
_TITLE = r"(?P<title>[A-Z0-9][^.?!]{6,240}?[.?!])"
_REST = r"(?P<rest>(?:In\b|arXiv|Proc|Advances|Journal|Trans|CoRR|preprint|(?:19|20)\d\d|" + _VENUES + r").*)"
_BIB_A_RE = re.compile(rf"^{_AUTHORS}(?:[.,]|(?<=\.\.\.)|(?<=…))\s+{_TITLE}\s+{_REST}$")
_BIB_B_RE = re.compile(rf"^{_AUTHORS}[.,]?\s+\(?(?P<year>(?:19|20)\d\d)\)?[.,]\s+{_TITLE}\s+(?P<rest>\S.*)$")


@dataclass(slots=True)
class Meta:
    """Authors, venue and year found next to a title."""

    authors: list[str] = field(default_factory=list)
    venue: str | None = None
    year: int | None = None

    def merge(self, other: Meta) -> None:
        """Fill the fields still missing from `other`."""
        self.authors = self.authors or other.authors
        self.venue = self.venue or other.venue
        self.year = self.year or other.year


def _year(text: str | None) -> int | None:
    if not text:
        return None
    y = int(text)
    return y + 2000 if y < 100 else y


def parse_venue(text: str) -> Meta:
    """Venue and year from text like `BMVC2020`, `(ICCV2019)`, `NeurIPS2020 Workshop`, `In CVPR, 2017`."""
    meta = Meta()
    m = VENUE_RE.search(text)
    if m:
        meta.venue = m.group("venue") + (" Workshop" if m.group("ws") else "")
        meta.year = _year(m.group("year"))
    if meta.year is None:
        y = _YEAR_RE.search(text)
        meta.year = int(y.group(0)) if y else None
    return meta


def _surname_pairs(text: str) -> list[tuple[str, str]]:
    """`_SURNAME_INITIALS_RE.findall(text)`, trying one start per run of word characters.

    A start succeeds or fails with what follows its run (the surname runs to the run's end), so only the first
    capital of each run can start a match: findall tried each capital, each to the end of the run (quadratic).
    """
    out: list[tuple[str, str]] = []
    pos = 0
    while run := _WORD_RUN_RE.search(text, pos):
        cap = _UPPER_RE.search(text, run.start(), run.end() - 1)
        m = _SURNAME_INITIALS_RE.match(text, cap.start()) if cap else None
        if m:
            out.append((m.group(1), m.group(2)))
            pos = m.end()
        else:
            pos = run.end()
    return out


def parse_authors(text: str) -> list[str]:
    """Person names from an author list (`Misra, D., Mu, N.`, `A, B, and C (Affiliation)`); [] if unsure."""
    t = _PAREN_RE.sub(" ", text).strip(" ,;:")
    t = _ETAL_RE.sub(", ", t).strip(" ,")
    if not t:
        return []
    pairs = _surname_pairs(t)
    if pairs and sum(len(a) + len(b) + 2 for a, b in pairs) >= 0.7 * len(t):
        return [f"{a}, {b.strip()}" for a, b in pairs]
    parts = [p.strip(" .") if not p.strip().endswith(".") else p.strip() for p in _SPLIT_RE.split(t)]
    parts = [p for p in parts if p]
    if not parts or not all(len(p.split()) <= 4 and _PERSON_RE.match(p) for p in parts):
        return []
    if len(parts) >= 2 and len(parts) % 2 == 0 and all(" " not in p for p in parts):
        return [f"{parts[i]}, {parts[i + 1]}" for i in range(0, len(parts), 2)]  # "Zhong, Zhun"
    return parts


def trailing_meta(text: str) -> Meta:
    """Authors/venue/year written after a title: `, Misra, D., BMVC2020` or ` (A, B, C)`."""
    t = text.strip()
    meta = parse_venue(t[:200])
    if t.startswith("("):
        end = t.find(")")
        inner = t[1:end] if end > 0 else t[1:]
        meta.authors = parse_authors(inner)
        return meta
    head = VENUE_RE.split(t, maxsplit=1)[0] if VENUE_RE.search(t) else t
    head = head.split(" In ")[0].split("(")[0]
    meta.authors = parse_authors(head.strip(" ,")) if head.strip(" ,") else []
    return meta


@dataclass(slots=True)
class BibEntry:
    """An unquoted bibliography entry split into its parts."""

    title: str
    meta: Meta


def parse_bib_entry(text: str) -> BibEntry | None:
    """Split `Authors. Title. Venue, Year.` / `Authors. Year. Title. In Venue.`; None if it is not one."""
    if len(text) > 700 or "." not in text:
        return None
    for rx in (_BIB_B_RE, _BIB_A_RE):
        m = rx.match(text)
        if not m:
            continue
        authors = parse_authors(m.group("authors"))
        if not authors:
            continue
        meta = parse_venue(m.group("rest"))
        if "year" in m.groupdict() and m.group("year"):
            meta.year = int(m.group("year"))
        meta.authors = authors
        return BibEntry(title=m.group("title").strip().rstrip("."), meta=meta)
    return None
