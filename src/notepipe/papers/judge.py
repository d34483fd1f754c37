"""Step 2 of 3: one judge over the candidates: accept (with a cleaned title and a role) or reject with a reason.

A span becomes a title only with citation evidence (the candidate's kind) and a title's shape; what each kind
must show is set here, in one place. Never a title: the post's own section headings, figure captions, metric or
method names alone, shorthand citations (`[He+ CVPR16]`, `Zhang et al.`), configuration lines, author lists.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from notepipe.document import Document
from notepipe.papers._titles import CJK_RE as _CJK
from notepipe.papers._titles import (
    HIGH,
    MEDIUM,
    STRONG,
    clean_title,
    is_generic_link_text,
    wordset,
)
from notepipe.papers._titles import title_score as _title_score
from notepipe.papers._titles import words as _words
from notepipe.papers.candidates import _PAPER_CUE, Candidate, generic_link_text, is_paper_url
from notepipe.papers.references import VENUE_RE, YEAR_RE, Reference, names

_LATIN_RUN = re.compile(r"[A-Za-z0-9][A-Za-z0-9 ,.:;'’&+\-–?!/()]*[A-Za-z0-9?!)]")
_SECTION_NUMBER = re.compile(r"^(?:\d{1,2}(?:[.-]\d{1,2})*\.?|[IVX]{1,4}\.|[A-H]\.\d*)\s+\S")
_DATE_LINE = re.compile(
    r"^(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2},?\s+(?:19|20)\d\d"
    r"|\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:19|20)\d\d)$",
    re.IGNORECASE,
)
# `Pose detector[5, 27, 35]`: a topic followed by the reference numbers of the papers on it.
_CITE_MARKS = re.compile(r"\[\d{1,3}(?:\s*[,–-]\s*\d{1,3})*\]$")
_CAPTION = re.compile(r"^(?:fig(?:ure)?|table|tab|eq(?:uation)?|algorithm|alg|listing)\.?\s*\d", re.IGNORECASE)
_SHORTHAND = re.compile(
    r"^\[?[A-Z][\w'’-]+(?:\s*\+|\s+et\s+al\.?)?\s*(?:\(?[A-Z]{2,}[\s']*\d{2,4}\)?|\(?\d{4}\)?)\]?$", re.IGNORECASE
)
_ET_AL = re.compile(r"\bet\s+al\b", re.IGNORECASE)
_NAME_ACRONYM = re.compile(r"^[^()]{2,80}\(\s*[A-Za-z][A-Za-z0-9.-]{0,12}\s*\)$")
# `lr: 1e-4, batch: 32` / `dropout=0.1`: two settings anywhere, or one numeric setting at the start.
_CONFIG_PAIR = re.compile(r"(?:^|\s)[\w-]+\s*[:=]\s*\S+.*\s[\w-]+\s*[:=]\s*\S")
_CONFIG_ONE = re.compile(r"[\w-]+\s*[:=]\s*[\d.]+")
# Prefixes a post puts before the reviewed paper's title: `論文紹介:`, `[arXiv 1902.09859]`, `[논문 리뷰]`,
# `Paper Review:`, `【論文メモ】`.
_REVIEW_BRACKET = re.compile(r"^\s*(?:\[[^\]]{1,40}\]|【[^】]{1,30}】|\([^)]{1,30}\)|〔[^〕]{1,30}〕)\s*")
_REVIEW_LABEL = re.compile(
    r"^\s*(?:[^:：\-–|]{0,16}(?:論文|논문|paper|review|リーディング|読み|まとめ|紹介|メモ|리뷰|요약|정리|summary|notes?)"
    r"[^:：\-–|]{0,12}|arxiv\s*\d{4}\.\d{4,5}|\d{4}\.\d{4,5})\s*[:：\-–|]\s*",
    re.IGNORECASE,
)
_BY_AUTHORS = re.compile(r"\s+(?:by|-|–|—)\s+[A-Z][^()]{1,200}$")
_TRAILING_PAREN = re.compile(r"\s*[(\[][^()\[\]]{1,80}[)\]]\s*$")
_VENUE_YEAR = re.compile(r"(?:19|20)\d\d|[A-Z]{3,}|arXiv|Workshop|Proc|;|,|외|等|他|ほか|et al")
_VENUE_ONLY = re.compile(r"^(?:[A-Z][A-Za-z]*[A-Z]|NeurIPS|Interspeech|arXiv)(?:[\s-]*'?\d{2,4})?(?:\s+Workshops?)?$")
_ALL_CAPS_WORD = re.compile(r"^[A-Z0-9][A-Z0-9\-:,&']*$")


@dataclass(frozen=True, slots=True)
class Verdict:
    """The judge's decision on one candidate."""

    candidate: Candidate
    title: str | None  # the cleaned title when accepted (None for an ID alone)
    accepted: bool
    reason: str  # why: the accepting evidence, or the rule that rejected it
    role: str = "cited"


def _reject(c: Candidate, reason: str) -> Verdict:
    return Verdict(c, None, False, reason)


# What a ja/ko post title says around a paper's title when it reviews it.
_REVIEW_CUE = re.compile(r"論文|読む|読んだ|読み|紹介|まとめ|解説|要約|メモ|理解|논문|리뷰|읽|정리|요약|리딩")
# Titles of posts that collect many papers, not one.
_COLLECTION = re.compile(
    r"\b(?:papers|notes|readings?\s+list|reading|digest|roundup|weekly|links|til|memos?|list)\b"
    r"|\bpaper\s+(?:summar\w*|reviews?|notes?)\b|\bsummary\s+of\b",
    re.IGNORECASE
)


_MIXED_MIN_WORDS = 3


def reviewed_title(raw: str, linked: bool = False) -> str:
    """The paper's title as a post's own title names it: review prefixes, `[ID]` tags, a trailing venue or
    acronym in parentheses, and `by Authors` removed; a Latin title inside a ja/ko title is taken alone."""
    t = " ".join(raw.split())
    for _ in range(4):
        before = t
        t = _REVIEW_BRACKET.sub("", t)
        t = _REVIEW_LABEL.sub("", t)
        if t == before:
            break
    if _CJK.search(t):
        runs = [r.strip(" ,.:;-–") for r in _LATIN_RUN.findall(t)]
        # A name inside a ja/ko title (`Latent Diffusion 읽기`) is not a paper's title: three words or a subtitle.
        runs = [r for r in runs if len(_words(r)) >= _MIXED_MIN_WORDS or ": " in r]
        # `Attention Is All You Needを読む` names a paper; `Hugging Face Transformersの使い方` names a tool.
        t = max(runs, key=len) if runs and (_REVIEW_CUE.search(t) or linked) else ""
    by = _BY_AUTHORS.search(t)
    if by:
        tail = re.sub(r"^\s*(?:by|-|–|—)\s+", "", by.group(0))
        if names(tail) is not None and ("," in tail or "et al" in tail):
            t = t[: by.start()]
    while True:
        m = _TRAILING_PAREN.search(t)
        if not m or len(_words(t[: m.start()])) < 2:
            break
        t = t[: m.start()]
    return clean_title(t)


def _shape(title: str, threshold: float, min_words: int) -> str | None:
    """The reason `title` fails the shape of a title, or None."""
    if not title:
        return "empty"
    if _CJK.search(title):
        return "not-latin"
    ws = _words(title)
    if len(ws) < min_words:
        return "too-short"
    if _CAPTION.match(title):
        return "caption"
    if _DATE_LINE.match(title):
        return "date"
    if title.endswith(("]", "]\n")) and _CITE_MARKS.search(title):  # (it ends the title)
        return "cites-others"
    if ("," in title or " and " in title or "&" in title) and names(title) is not None:
        return "author-list"  # (`names` refuses title words: `Towards Efficient and Scalable …` is no author list)
    if _title_score(title, ws) < threshold:
        return "shape"
    return None


def _shorthand(title: str) -> bool:
    """`Smith et al.`, `Vaswani (NIPS17)`: a citation by name, not a title. (Each scan is behind a test: a
    shorthand ends in a digit, then `)` and `]` at most; `al` is in every `et al`, as no character but ASCII
    lower-cases to it, and most titles lack it.)"""
    end = title.removesuffix("\n").removesuffix("]").removesuffix(")")
    return ((end[-1:].isdecimal() and _SHORTHAND.match(title) is not None)
            or ("al" in title.lower() and _ET_AL.search(title) is not None))


def _configuration(title: str) -> bool:
    """A line of settings. Two settings need two `:`/`=` marks and one setting one: counting them first spares
    the backtracking scan on most titles."""
    marks = title.count(":") + title.count("=")
    if marks >= 2 and _CONFIG_PAIR.search(title):
        return True
    return marks >= 1 and _CONFIG_ONE.match(title) is not None


def _context_rules(c: Candidate, title: str) -> str | None:
    """Rules for candidates whose evidence is their place in the text (not a link, reference or field)."""
    if _SECTION_NUMBER.match(title):
        return "section-number"
    if _shorthand(title):
        return "shorthand-citation"
    m = _NAME_ACRONYM.match(title)
    if m and len(_words(title[: title.rfind("(")])) <= 4:
        return "name-with-acronym"
    if _configuration(title):
        return "configuration"
    return None


_LISTED_MIN = 3  # a reading list without an opening line has at least this many title-over-comment pairs


def judge(candidates: list[Candidate], doc: Document) -> list[Verdict]:
    """A verdict for every candidate, in the candidates' order."""
    about_papers = _about_papers(candidates, doc)
    verdicts = [_judge_one(c, about_papers) for c in candidates]
    for kind in ("listed-title", "link-list"):
        listed = [i for i, v in enumerate(verdicts) if v.candidate.evidence == kind and v.accepted]
        if listed and len(listed) < _LISTED_MIN and not verdicts[listed[0]].candidate.notes.get("intro"):
            for i in listed:
                verdicts[i] = _reject(verdicts[i].candidate, f"too-few-{kind}s")
        if listed and not about_papers:
            for i in listed:
                verdicts[i] = _reject(verdicts[i].candidate, "post-not-about-papers")
    return verdicts


def _about_papers(candidates: list[Candidate], doc: Document) -> bool:
    """Whether the post speaks of papers at all: a paper link or ID, or words such posts use."""
    if any(c.arxiv_id for c in candidates) or any(c.evidence in {"reference", "title-field"} for c in candidates):
        return True
    for block in doc.blocks:
        if any(s.kind == "link" and is_paper_url(s.url) for s in block.spans):
            return True
    if doc.front.text and any(is_paper_url(u) for u in _URL.findall(doc.front.text)):
        return True
    if any(b.kind == "heading" and _PAPER_SECTION.search(b.text) for b in doc.blocks):
        return True
    head = " ".join(b.text for b in doc.blocks[:60] if b.kind not in {"code", "math"})
    return bool(_PAPER_CUE.search(head))


_URL = re.compile(r"https?://\S+")
# Sections every paper has; a post whose headings follow them reviews one.
_PAPER_SECTION = re.compile(
    r"\b(?:abstract|introduction|related\s+works?|experiments?|conclusions?|methodology|proposed\s+method"
    r"|contributions?|preliminaries|ablation)\b|概要|提案手法|実験|関連研究|結論|先行研究|서론|관련\s*연구|실험|결론|제안",
    re.IGNORECASE,
)


def _judge_one(c: Candidate, about_papers: bool) -> Verdict:
    if c.evidence == "id":
        return Verdict(c, None, True, "id") if c.arxiv_id else _reject(c, "no-id")
    raw = c.text or ""
    if c.evidence == "reviewed":
        if not about_papers:
            return _reject(c, "post-not-about-papers")
        title = reviewed_title(raw, bool(c.notes.get("linked")))
        why = _shape(title, STRONG, 2)
        if why is None and _COLLECTION.search(title):
            why = "collection-title"
        if why is None and _SECTION_NUMBER.match(title):
            why = "section-number"
        if why is None and _VENUE_ONLY.match(title):
            why = "venue"
        if why is None and len(_words(title)) < 3 and ":" not in title and not c.notes.get("linked"):
            why = "short-without-link"
        return Verdict(c, title, True, "reviewed", role="reviewed") if why is None else _reject(c, f"reviewed:{why}")
    if c.evidence == "title-field":
        title = reviewed_title(raw)
        why = _shape(title, STRONG, 2)
        return Verdict(c, title, True, "title-field") if why is None else _reject(c, why)
    if c.evidence == "reference":
        title = strip_gloss(clean_title(raw))
        why = _shape(title, -math.inf, 2)
        return Verdict(c, title, True, f"reference:{c.ref.style if c.ref else ''}") if why is None else _reject(c, why)
    title = strip_gloss(clean_title(raw))
    if c.evidence == "link":
        if is_generic_link_text(raw) or generic_link_text(raw):
            return _reject(c, "generic-link-text")
        why = _shape(title, 0.0, 3) or (None if c.ref else _context_rules(c, title))
        if why is None and c.heading and _shouting(title):
            why = "all-capitals-heading"
        return Verdict(c, title, True, "link") if why is None else _reject(c, why)
    if c.evidence == "id-title":
        why = _shape(title, STRONG, 2) or _context_rules(c, title)
        return Verdict(c, title, True, "id-title") if why is None else _reject(c, why)
    if c.evidence == "title-line":
        title = strip_trailing_meta(title, c)
        # A heading over its paper's link is that entry's title, however short (`### Layer Normalization`).
        why = _shape(title, STRONG, 2 if c.heading else 3) or _context_rules(c, title)
        return Verdict(c, title, True, "title-line") if why is None else _reject(c, why)
    if c.evidence == "reference-list":
        title = strip_trailing_meta(title, c)
        why = _shape(title, STRONG, 4 if c.notes.get("bare-link") else 2) or _context_rules(c, title)
        if why is None and title[:1].islower():
            why = "lower-case-start"
        return Verdict(c, title, True, "reference-list") if why is None else _reject(c, why)
    if c.evidence in {"summary-header", "listed-title", "announced", "table-title", "link-list"}:
        title = strip_trailing_meta(title, c)
        min_words = 3 if c.evidence == "announced" else 2
        why = _shape(title, MEDIUM if c.evidence == "summary-header" else STRONG, min_words)
        why = why or _context_rules(c, title)
        if why is None and c.evidence == "listed-title" and title.split()[0] in _PROSE_OPENERS:
            why = "prose"
        return Verdict(c, title, True, c.evidence) if why is None else _reject(c, why)
    if c.evidence == "quoted":
        why = _shape(title, HIGH, 3) or _context_rules(c, title)
        return Verdict(c, title, True, "quoted") if why is None else _reject(c, why)
    return _reject(c, "unknown-evidence")


_META_PAREN = re.compile(r"\s*[(\[]([^()\[\]]{0,300})[)\]]\s*$")


# `Attention Is All You Need (Transformer)`: a model name glossing a full title, one name in parentheses.
_GLOSS = re.compile(r"\s*\(\s*([A-Za-z][\w.+~-]*(?:[ -][A-Za-z0-9][\w.+~-]*){0,3})\s*\)\s*$")
_GLOSSED_MIN_WORDS = 4


def strip_gloss(title: str) -> str:
    """A trailing `(ModelName)` after a title of at least four words is a gloss, not part of the title; a gloss
    of several words (`(Seq2Seq with Attention)`) only after a title longer than it."""
    m = _GLOSS.search(title) if title.rstrip().endswith(")") else None  # (what it ends with, tested first)
    if m is None:
        return title
    head = _words(title[: m.start()])
    if (len(head) >= _GLOSSED_MIN_WORDS and len(head) > 2 * len(m.group(1).split())) or _acronym_of(m.group(1), head):
        return title[: m.start()].rstrip(" ,.")
    return title


def _acronym_of(short: str, words: list[str]) -> bool:
    """`GAN` for `Generative Adversarial Networks`: the capitals of `short`, in order, start the words."""
    capitals = [c for c in short if c.isupper()]
    initials = [w[0].upper() for w in words if w[0].isalpha()]
    if len(capitals) < 2 or " " in short.strip():
        return False
    it = iter(initials)
    return all(any(c == i for i in it) for c in capitals) and capitals[0] == initials[0]


def strip_trailing_meta(title: str, c: Candidate | None = None) -> str:
    """`Title (Author, Author)` / `Title (ICCV 2019) [paper]` → `Title`; `Big Transfer (BiT)` stays. The authors,
    venue and year read from what was removed go to the candidate's reference."""
    removed: list[str] = []
    while (title.rstrip().endswith((")", "]")) and (m := _META_PAREN.search(title))
           and len(_words(title[: m.start()])) >= 2):
        inner = m.group(1)
        if not (_VENUE_YEAR.search(inner) or generic_link_text(inner) or not inner.strip()):
            break
        removed.append(inner)
        title = title[: m.start()].rstrip(" ,.[(")
    if c is not None and c.ref is None and removed:
        authors: tuple[str, ...] = ()
        venue, year = None, None
        for inner in removed:
            found = names(_ETAL_TAIL.sub("", inner))
            authors = authors or tuple(found or ())
            v_m = VENUE_RE.search(inner)
            venue = venue or (v_m.group("venue") if v_m else None)
            y_m = YEAR_RE.search(inner)
            year = year or (int(y_m.group(0)) if y_m else None)
        c.ref = Reference(title, authors, venue, year, "trailing")
    return title


_ETAL_TAIL = re.compile(r"\s*(?:외|等|他|ほか|ら|et al\.?)\s*$")


_PROSE_OPENERS = wordset(
    "We I It This That These Those There Here Please Note See Let Our My"
)


def _shouting(title: str) -> bool:
    ws = title.split()
    return len(ws) >= 2 and all(_ALL_CAPS_WORD.match(w) for w in ws)
