"""Reference strings → title, authors, venue and year: MLA, APA, Chicago, Harvard, IEEE, ACM, Vancouver, the
NeurIPS/ACL and LNCS bibliography styles, `Authors, Title, Year` lines, and BibTeX entries.

A grammar, not a model: an author list is a run of person names (`Ashish Vaswani`, `Vaswani, Ashish`, `He, K.`,
`D. P. Kingma`, `Vaswani A`) joined by commas, `and`, `&` or `;`, optionally ending in `et al.`; the title is
the quoted span after it, or the sentence after it (and after a year, in author-year styles); what follows is
the venue. A string is a reference only when its author list and its title are both found and a year or a venue
follows, so running prose never parses as one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from notepipe.papers._titles import CJK_RE, wordset

__all__ = ["Reference", "join_lines", "names", "parse_reference", "strip_author_prefix"]


@dataclass(frozen=True, slots=True)
class Reference:
    """One parsed reference string."""

    title: str
    authors: tuple[str, ...] = ()
    venue: str | None = None
    year: int | None = None
    style: str = ""


_VENUES = (
    "NeurIPS|NIPS|ICML|ICLR|CVPR|ICCV|ECCV|BMVC|WACV|ACCV|AAAI|IJCAI|ACL|EMNLP|NAACL(?:-HLT)?|COLING|EACL|AACL"
    "|CoNLL|TACL|KDD|WWW|SIGIR|SIGMOD|VLDB|PVLDB|SOSP|OSDI|NSDI|EuroSys|ICDE|WSDM|CIKM|RecSys|ICASSP|INTERSPEECH"
    "|Interspeech|TPAMI|PAMI|JMLR|TMLR|IJCV|ICRA|IROS|CoRL|MICCAI|MLSys|SysML|UAI|AISTATS|COLT|ICDM|ICIP|3DV"
    "|SIGGRAPH(?: Asia)?|CHI|UIST|CSCW|ICWSM|TNNLS|TKDE|LREC|ICPR|ECAI|ISMIR|CoRR|arXiv|Nature|Science"
)
VENUE_RE = re.compile(
    rf"(?<![A-Za-z])(?P<venue>{_VENUES})(?:\s*'?(?P<year>(?:19|20)\d\d|\d\d))?(?P<ws>\s+Workshops?)?(?![A-Za-z])"
)
YEAR_RE = re.compile(r"(?<![\d.])(?:19[5-9]\d|20[0-4]\d)(?![\d])")
# What a venue part starts with once the title has ended.
_VENUE_START = re.compile(
    r"(?:In\b|In:|Proc|Advances|Journal|J\.|Trans|IEEE|ACM|Commun|arXiv|CoRR|preprint|Technical|Tech\.|Ph\.?D"
    r"|Master|Thesis|Springer|Elsevier|Nature|Science|International|Conference|Workshop|Annual|Neural|Computer"
    rf"|(?:19|20)\d\d|{_VENUES})"
)
# What every reference has: a year, a venue, a BibTeX title, `In`, `Proc.` or `n.d.`. `_gate` tests it in three
# parts: the alternatives led by a digit or a capital in one scan (every alternative starts with a literal
# character, the lookbehinds come after it, so the engine skips the lower-case letters that make up most of a
# text), `arXiv` as a substring, and the two led by lower case behind a substring test.
_GATE_UPPER = re.compile(
    r"1(?<!\d1)9[5-9]\d(?!\d)|2(?<!\d2)0[0-4]\d(?!\d)|"
    + "|".join(v for v in _VENUES.split("|") if v != "arXiv") + r"|I(?<!\wI)n\b|Proc\."
)
_GATE_LOWER = re.compile(r"title\s*=|n\.\s?d\.")


def _gate(text: str) -> bool:
    """Whether `text` has what every reference has (a year, a venue, a BibTeX title, `In`, `Proc.`, `n.d.`)."""
    return ("arXiv" in text or _GATE_UPPER.search(text) is not None
            or (("title" in text or "n." in text) and _GATE_LOWER.search(text) is not None))


# --- person names -------------------------------------------------------------------------------------------------
_INITIALS = re.compile(r"^(?:[A-Z]\.\s?-?)+$|^[A-Z]\.?-[A-Z]\.?$")
_VANCOUVER_INITIALS = re.compile(r"^[A-Z]{1,3}$")
_NAME_WORD = re.compile(r"^[A-ZÀ-ÖØ-ÞĀ-ſ][a-zà-öø-ÿā-ſA-ZÀ-ÖØ-Þ'’\-]*[a-zà-öø-ÿā-ſ]$|^[A-Z][a-z]?$")
_PARTICLES = wordset(
    "van von de der den da del della di la le du dos das ten ter bin al el mac st. y"
)
# Capitalized function words are title words, never parts of a name.
_TITLE_WORDS = wordset(
    "A An The Of For And Or In On At To By With From Via Is Are Be All You We Our Your Not Do Does How "
    "What Why When Where Which Towards Toward Beyond Without Using Learning Deep Neural Networks Network "
    "Model Models Data Image Images Language Training Attention Transformer Transformers Detection "
    "Recognition Segmentation Via Fast Efficient Large Scale Analysis Survey Study Towards Approach "
    "Method Methods Based Generative Adversarial Unsupervised Supervised Self Semi Learning "
    "Representation Representations Object Objects Visual Video Graph Search System Systems Information "
    "Retrieval Web Evaluation Control"
)
_ETAL = re.compile(r"(?:,?\s*(?:et\s+al\.?|\.\.\.|…|and\s+others))\s*[.,]?\s*$", re.IGNORECASE)
_MARKS = re.compile(r"[∗*†‡§¶]|\d(?=,|$)")  # affiliation and equal-contribution marks after a name
_NAME_SPLIT = re.compile(r"\s*(?:,\s*(?:and\s+|&\s*)?|;\s*|\s+and\s+|\s*&\s*)")


def _name_words_ok(words: list[str]) -> bool:
    capital = 0
    last = len(words) - 1
    for i, word in enumerate(words):
        # A particle comes before the surname (`van Gool`); a capitalized last word is the surname (`Das`).
        particle = word.lower() in _PARTICLES and (i < last or word.islower())
        if particle or _INITIALS.match(word) or _VANCOUVER_INITIALS.match(word):
            continue
        if word in _TITLE_WORDS:
            return False
        if _NAME_WORD.match(word):
            capital += 1
            continue
        return False
    return capital > 0 or all(_is_initials(w) for w in words)


def _is_initials(word: str) -> bool:
    return bool(_INITIALS.match(word) or _VANCOUVER_INITIALS.match(word))


def names(text: str) -> list[str] | None:
    """The person names of an author list (`He, K., Zhang, X., & Sun, J.` → `K. He`, `X. Zhang`, `J. Sun`), or
    None when `text` is not one."""
    # Every word of an author list is a name, an initial or a particle in Latin letters: a kana, hangul or han
    # character (never a space, a digit or a separator) leaves a word that is none of them. Most text the styles
    # try is prose in Japanese or Korean, turned away by this one search.
    return None if CJK_RE.search(text) else _names(text)


def _names(text: str) -> list[str] | None:
    text = _ETAL.sub("", _MARKS.sub("", text).strip().rstrip(",;:(")).strip().rstrip(",(").strip()
    if text.endswith(".") and not (len(text) >= 2 and text[-2].isupper() and (len(text) < 3 or not text[-3].isalpha())):
        text = text[:-1]  # a sentence's period, not an initial's
    if not text or len(text) > 600:
        return None
    parts = [p.strip() for p in _NAME_SPLIT.split(text) if p and p.strip()]
    if not parts:
        return None
    singles = all(" " not in p and not _is_initials(p) and _name_words_ok([p]) for p in parts)
    if singles and (len(parts) > 2 or (len(parts) == 2 and "," not in text)):
        return parts  # `He, Zhang, Ren, Sun`, `Shi and Jain`: surnames alone
    out: list[str] = []
    surname_pending: str | None = None
    full = 0
    for part in parts:
        words = part.split()
        if not 1 <= len(words) <= 5 or not _name_words_ok(words):
            return None
        if len(words) == 1 and not _is_initials(words[0]):
            if surname_pending is not None:  # `Vaswani, Ashish`: a surname, then given names
                out.append(f"{part} {surname_pending}")
                surname_pending = None
                full += 1
            else:
                surname_pending = part
            continue
        if all(_is_initials(w) for w in words):
            if surname_pending is None:
                if out and " " in out[-1] and not any(_is_initials(w) for w in out[-1].split()):
                    out[-1] = f"{' '.join(words)} {out[-1]}"  # `Van Gool, L.`: a surname of two words
                    continue
                return None  # initials with no surname before them
            out.append(f"{' '.join(words)} {surname_pending}")
            surname_pending = None
            continue
        if surname_pending is not None:
            out.append(surname_pending)
            surname_pending = None
        if len(words) == 2 and _VANCOUVER_INITIALS.match(words[1]) and len(words[1]) <= 3 and words[1].isupper():
            out.append(f"{words[1]} {words[0]}")  # Vancouver `Vaswani A`
            continue
        out.append(" ".join(words))
        full += 1
    if surname_pending is not None:
        out.append(surname_pending)
    if not out:
        return None
    # One bare capitalized word is no author list (`Attention`), nor are words with no given name or initial.
    if len(out) == 1 and " " not in out[0] and "." not in out[0]:
        return None
    return out


# --- titles ---------------------------------------------------------------------------------------------------
# A sentence ends at `.`, `?` or `!` before white space, unless the period closes an initial or an abbreviation.
_SENTENCE_END = re.compile(r"(?<=[^\s.])([.?!])(?=\s|$)")
_ABBREVIATIONS = wordset(
    "vs etc al eg ie cf fig no vol pp proc conf int intl eds ed st jr dr mr mrs ms"
)


def _sentence(text: str, start: int = 0) -> tuple[str, int]:
    """The sentence starting at `start` and where the text after it starts."""
    for m in _SENTENCE_END.finditer(text, start):
        before = text[start : m.start()]
        last = before.rsplit(None, 1)[-1] if before.strip() else ""
        if m.group(1) == "." and (
            (len(last) == 1 and last.isupper()) or last.lower().rstrip(".") in _ABBREVIATIONS
        ):
            continue
        end = m.end()
        title = text[start:end] if m.group(1) in "?!" else text[start : m.start()]
        return title.strip(), end
    return text[start:].strip(), len(text)


def _venue_year(rest: str, year: int | None = None) -> tuple[str | None, int | None]:
    venue_m = VENUE_RE.search(rest)
    venue = (venue_m.group("venue") + (" Workshop" if venue_m.group("ws") else "")) if venue_m else None
    if year is None and venue_m and venue_m.group("year"):
        short = int(venue_m.group("year"))
        year = short + 2000 if short < 100 else short
    if year is None:
        years = YEAR_RE.findall(rest)
        year = int(years[0]) if years else None
    return venue, year


def _clean(title: str) -> str:
    title = title.strip().strip("\"'“”‘’«»「」『』").strip()
    return title.rstrip(",.;:").strip().strip("\"'“”‘’").strip()


def _words(text: str) -> int:
    return len([w for w in text.split() if any(c.isalpha() for c in w)])


# --- styles -------------------------------------------------------------------------------------------------
_LEAD = re.compile(r"^\s*(?:[-*+•・]\s+)?(?:\[\s*\d{1,4}\s*\]|\(\d{1,4}\)|\d{1,4}[.)])?\s*[.:]?\s*")
# A label in another script before the reference (`タイトル `, `참고: `).
_LATIN_OR_QUOTE = re.compile(r"[A-Za-z\"“]")


def _strip_label(text: str) -> str:
    """Drop the words in another script a reference may follow (`タイトル `, `【第3位】: `), word by word: each has a
    character outside ASCII and no Latin letter or quote."""
    words = text.split(" ")
    k = 0
    while k < len(words) - 1 and not _word_is_latin(words[k]):
        k += 1
    return " ".join(words[k:]) if k else text


def _word_is_latin(word: str) -> bool:
    """True unless the word is all punctuation, digits and characters of another script (at least one)."""
    return bool(_LATIN_OR_QUOTE.search(word)) or word.isascii()
_AFFILIATION = re.compile(r"\s*\([^()]{2,200}\)")
_BIBTEX_ENTRY = re.compile(r"@\w+\s*\{")
_BIBTEX_FIELD = re.compile(r"\b(title|author|year|booktitle|journal)\s*=\s*[{\"]", re.IGNORECASE)
_QUOTE_OPEN = re.compile(r"[\"“”]|(?<![\w])'(?=[A-Z0-9])")
_YEAR_PAREN = re.compile(
    r"\(\s*((?:19|20)\d\d|n\.\s?d\.)[a-z]?(?:,[^()]{0,24})?\s*\)[.,:]?\s+|(?<=[.,])\s+((?:19|20)\d\d)[a-z]?\.\s+"
)
_AUTHOR_COLON = re.compile(r":\s+")
_TRAILING_YEAR = re.compile(r"[,\s]\s*\(?((?:19|20)\d\d)\)?\.?\s*$")


def _bibtex(text: str) -> Reference | None:
    fields: dict[str, str] = {}
    for m in _BIBTEX_FIELD.finditer(text):
        name = m.group(1).lower()
        value, depth, i = [], 1, m.end()
        closer = "}" if text[m.end() - 1] == "{" else '"'
        while i < len(text) and depth:
            ch = text[i]
            if closer == "}" and ch == "{":
                depth += 1
            elif ch == closer:
                depth -= 1
                if not depth:
                    break
            value.append(ch)
            i += 1
        fields.setdefault(name, " ".join("".join(value).replace("{", "").replace("}", "").split()))
    title = _clean(fields.get("title", ""))
    if not title:
        return None
    authors = tuple(a.strip() for a in re.split(r"\s+and\s+", fields.get("author", "")) if a.strip())
    year_m = YEAR_RE.search(fields.get("year", ""))
    venue = fields.get("booktitle") or fields.get("journal") or None
    return Reference(title, authors, venue, int(year_m.group(0)) if year_m else None, "bibtex")


def _quoted(text: str) -> Reference | None:
    """`Authors. "Title." Venue (Year)` (MLA, Chicago), `Authors, "Title," in Venue, Year` (IEEE) and Harvard's
    `Authors (Year) 'Title', Venue`; an unclosed quote runs to a trailing year (`Authors,"Title,2020`)."""
    m = _QUOTE_OPEN.search(text)
    if m is None or m.start() == 0:
        return None
    head = text[: m.start()]
    year: int | None = None
    ym = re.search(r"\(\s*((?:19|20)\d\d)[a-z]?\s*\)[.,]?\s*$", head)
    if ym:  # Harvard: the year sits between the authors and the quoted title
        year, head = int(ym.group(1)), head[: ym.start()]
    authors = names(_AFFILIATION.sub("", head))
    opener = text[m.start()]
    closers = {"\"": "\"”", "“": "”\"", "”": "”\"", "'": "'’"}[opener]
    close = next((i for i in range(m.end(), len(text)) if text[i] in closers
                  and (opener != "'" or i + 1 >= len(text) or not text[i + 1].isalpha())), -1)
    if close < 0:
        tail = _TRAILING_YEAR.search(text, m.end())
        if tail is None:
            return None
        title, rest, year = text[m.end() : tail.start()], "", int(tail.group(1))
    else:
        title, rest = text[m.end() : close], text[close + 1 :]
    title = _clean(title)
    if _words(title) < 2:
        return None
    venue, year = _venue_year(rest, year)
    if authors is None:
        # No author list before the quote: a venue right after it still makes it a reference (`"Title", CVPR 2020`).
        if close < 0 or not VENUE_RE.match(rest.lstrip(" ,.:;([")[:40].removeprefix("in ").removeprefix("In ")):
            return None
        authors = []
    return Reference(title, tuple(authors), venue, year, "quoted")


_TITLE_FIRST = re.compile(r"[\"”],\s+(?=[A-Z])")


def _title_first(text: str) -> Reference | None:
    """`"Title", Authors, VenueYear` (a ranking or reading list): the quoted title first, an author list and a
    venue or year after it; the opening quote may be missing after a label (`第2位: Title", Hu, J., CVPR2018`)."""
    m = _TITLE_FIRST.search(text)
    if m is None:
        return None
    head = text[: m.start()]
    opener = max(head.rfind("\""), head.rfind("“"))
    if opener < 0:
        opener = max(head.rfind(":"), head.rfind("："))
    title = _clean(head[opener + 1 :])
    rest = text[m.end() :]
    venue_m = VENUE_RE.search(rest)
    year_m = YEAR_RE.search(rest)
    cut = min(x.start() for x in (venue_m, year_m) if x is not None) if (venue_m or year_m) else None
    if cut is None or names(rest[:cut]) is None or _words(title) < 2:
        return None
    venue, year = _venue_year(rest)
    return Reference(title, tuple(names(rest[:cut]) or ()), venue, year, "title-first")


_TITLE_PAREN = re.compile(r"^(?P<title>[^()]{6,300}?)\s*\((?P<inner>[^()]{2,200})\)\s*\.?$")


def _title_paren(text: str) -> Reference | None:
    """`Title (Vaswani et al., 2017)` / `Title (A. Author, B. Author, CVPR 2020)`: authors and a year or venue in
    parentheses after the title."""
    # (the text is whitespace-collapsed: a match ends `)`, `).` or `) .`)
    m = _TITLE_PAREN.match(text) if text.endswith((")", ").", ") .")) else None
    if m is None:
        return None
    inner = m.group("inner")
    venue, year = _venue_year(inner)
    if venue is None and year is None:
        return None
    cut = min(x.start() for x in (VENUE_RE.search(inner), YEAR_RE.search(inner)) if x is not None)
    authors = names(inner[:cut])
    if authors is None and not _ETAL.search(inner[:cut].strip().rstrip(",")):
        return None
    if authors is None:  # `Vaswani et al.`: the first author's surname
        head = _ETAL.sub("", inner[:cut].strip().rstrip(",")).strip()
        authors = [head] if _name_words_ok(head.split()) and 1 <= len(head.split()) <= 3 else []
    return Reference(_clean(m.group("title")), tuple(authors), venue, year, "title-paren")


def _title_names(text: str) -> Reference | None:
    """`Title, Meng et al., CVPR 2021` / `Title, Shi and Jain, ICCV 2019`: the title first, unquoted, then an
    author list and a venue or year, each after a comma."""
    parts = [p.strip() for p in text.rstrip(" .").split(",")]
    if len(parts) < 3:
        return None
    venue, year = _venue_year(parts[-1])
    if venue is None and year is None:
        return None
    k = len(parts) - 1
    while k > 1 and (names(parts[k - 1]) is not None or _ETAL.search(parts[k - 1])
                     or (" " not in parts[k - 1] and _name_words_ok([parts[k - 1]]))):
        k -= 1
    if k == len(parts) - 1:
        return None
    authors = names(", ".join(parts[k:-1])) or [_ETAL.sub("", parts[k]).strip()]
    title = _clean(", ".join(parts[:k]))
    if _words(title) < 3 or names(title) is not None:
        return None  # an author line (`Richard S. Sutton, David McAllester, 1999`) has no title before its names
    return Reference(title, tuple(authors), venue, year, "title-names")


def _author_year(text: str) -> Reference | None:
    """APA `Authors (Year). Title. Venue`, ACM `Authors. Year. Title. In Venue`, Harvard without quotes."""
    for m in _YEAR_PAREN.finditer(text):
        authors = names(text[: m.start()])
        if authors is None:
            continue
        title, after = _sentence(text, m.end())
        found_year = m.group(1) or m.group(2)
        year = int(found_year) if found_year[0].isdigit() else None
        venue, _ = _venue_year(text[after:], year)
        return Reference(_clean(title), tuple(authors), venue, year, "author-year")
    return None


def _author_colon(text: str) -> Reference | None:
    """LNCS / Springer: `Nagrani, A., Albanie, S., Zisserman, A.: Title. In: Venue (Year)`."""
    for m in _AUTHOR_COLON.finditer(text, 0, min(len(text), 400)):
        authors = names(text[: m.start()])
        if authors is None:
            continue
        title, after = _sentence(text, m.end())
        rest = text[after:]
        venue, year = _venue_year(rest)
        if year is None and venue is None:
            return None
        return Reference(_clean(title), tuple(authors), venue, year, "colon")
    return None


def _plain(text: str) -> Reference | None:
    """`Authors. Title. Venue, Year.` (NeurIPS, ACL, Vancouver, Chicago and ACM without a year up front): the
    longest author list that ends at a period, then the title's sentence, then a venue or year."""
    best = _author_prefix_end(text, 600)
    if best is None:
        return None
    authors = names(text[: best].rstrip())
    title, after = _sentence(text, best)
    rest = text[after:].lstrip()
    if not rest or not (_VENUE_START.match(rest) or YEAR_RE.search(rest)):
        return None
    venue, year = _venue_year(rest)
    return Reference(_clean(title), tuple(authors or ()), venue, year, "plain")


_SENTENCE_ANY = re.compile(r"\.(?=\s+\S)")


def strip_author_prefix(text: str) -> str:
    """`Songtao Liu, Di Huang, et al. Receptive field block net` → `Receptive field block net`; else `text`."""
    best = _author_prefix_end(text, 400)
    return text[best:].strip() if best is not None else text


def _author_prefix_end(text: str, reach: int) -> int | None:
    """Where the text after the longest author list ending at a period (within `reach` characters) starts."""
    best: int | None = None
    for m in _SENTENCE_ANY.finditer(text, 0, min(len(text), reach)):
        if names(text[: m.start() + 1]) is not None:
            best = m.end()
        elif best is not None:
            break
    return best


def _comma(text: str) -> Reference | None:
    """`First Last, First Last, Title, 2020`: full names, then the title, then a year."""
    tail = _TRAILING_YEAR.search(text) if _ends_with_year(text) else None
    if tail is None:
        return None
    parts = [p.strip() for p in text[: tail.start()].split(",")]
    authors: list[str] = []
    for i, part in enumerate(parts):
        words = part.split()
        if 2 <= len(words) <= 4 and _name_words_ok(words) and any(not _is_initials(w) for w in words):
            authors.append(part)
            continue
        if len(authors) < 2:
            return None
        title = _clean(", ".join(parts[i:]))
        return Reference(title, tuple(authors), None, int(tail.group(1)), "comma") if _words(title) >= 2 else None
    return None


def _ends_with_year(text: str) -> bool:
    """Whether whitespace-collapsed `text` ends as `_TRAILING_YEAR` needs: a year, then `)` and `.` at most (one
    string test instead of a scan from every position)."""
    text = text.removesuffix(" ").removesuffix(".").removesuffix(")")
    return text[-4:-2] in {"19", "20"} and text[-2:].isdecimal() and len(text) >= 4


_LONGEST = 800


# Styles whose shape alone (a quoted title after authors, a year between authors and title) makes a reference.
_SELF_EVIDENT = frozenset({"quoted", "author-year", "title-first", "title-paren"})


def parse_reference(text: str) -> Reference | None:
    """Parse one reference string; None unless an author list (or a BibTeX title), a title and a venue or year
    are all there."""
    if len(text) > _LONGEST:
        text = text[:_LONGEST]  # a reference opens the text it leads; what runs on is a comment
    if len(text) < 20:
        return None
    # The gate first, on the whole text: what follows only cuts a prefix, and no prefix cut ends with a word
    # character, so a gate match in what is left was one here already (most prose fails it). `arXiv` and
    # `_GATE_UPPER` match no white space and test their neighbours only for being no digit or letter, so they
    # answer the same before white space is collapsed: most prose is turned away before that copy is made.
    upper = "arXiv" in text or _GATE_UPPER.search(text) is not None
    if not upper and "title" not in text and "n." not in text:
        return None
    text = " ".join(text.split())
    if not upper and _GATE_LOWER.search(text) is None:
        return None
    text = _LEAD.sub("", _strip_label(text), count=1)
    # A reference opens with an author, a quoted title or a BibTeX entry: never with a word in another script.
    if not text or not (text[0].isascii() or text[0] in "“‘「『") or not _gate(text):
        return None
    if "@" in text and "=" in text and _BIBTEX_ENTRY.search(text):
        ref = _bibtex(text)
        if ref is not None:
            return ref
    for style in (_quoted, _title_first, _author_year, _plain, _author_colon, _comma, _title_paren, _title_names):
        ref = style(text)
        if ref is None or _words(ref.title) < 2 or len(ref.title) > 300 or ref.title[0].islower():
            continue
        if ref.style in _SELF_EVIDENT or ref.year is not None or ref.venue is not None:
            return ref
    return None


def join_lines(lines: list[str]) -> str:
    """Lines of one reference as one string: a word hyphenated across a line break is joined (`Improv-` +
    `ing` → `Improving`), other breaks become spaces."""
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out.endswith("-") and len(out) > 1 and out[-2].isalpha() and line[:1].islower():
            out = out[:-1] + line
        else:
            out = f"{out} {line}" if out else line
    return out
