"""Paper-title cleaning and a scored, feature-based test of whether a string reads like a paper title."""

from __future__ import annotations

import math
import re

from notepipe.papers._arxiv import fold_case

CJK_RE = re.compile(
    "[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"
)

# Thresholds for `title_score`: how much evidence a rule needs from the string itself.
STRONG = -1.0  # the context says "this is a title" (quoted + authors, `> *...*`, Title: field, arXiv link)
MEDIUM = 1.0  # the layout suggests a title (line before a ja/ko comment, bold line, table cell)
HIGH = 2.0  # only the string itself (headings, quoted phrase in prose)

_WORD_RE = re.compile(r"[A-Za-z0-9][A-Za-z0-9'’.+-]*")
_LETTER_RE = re.compile(r"[A-Za-z]")
_LETTERS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
_TWO_SENTENCES_RE = re.compile(r"[a-z]{2}[.!] [A-Z]")
_COLON_FORM_RE = re.compile(r"^[^:]{1,60}[^\s:]: +\S")
_URLISH_RE = re.compile(
    r"https?://|www\.|@|\s=\s|==|[{};]|\.(?:md|png|jpe?g|gif|svg|pdf|py|ipynb|html?|txt|csv|json|ya?ml)\b|[\\/]\S"
)
_DATE_RE = re.compile(r"\b(?:19|20)\d\d[-/.]\d{1,2}[-/.]\d{1,2}\b|\b\d{1,2}:\d\d\b|\b\d+\.\d+\.\d+\b")
_DIGIT_RE = re.compile(r"\d")
# What each alternative of `_URLISH_RE` holds: a string with none of these cannot match, and most titles have none.
_URLISH_MARKS = ("/", "@", "=", "{", "}", ";", ".", "\\")


def _urlish(text: str) -> bool:
    return any(mark in text for mark in _URLISH_MARKS) and _URLISH_RE.search(text) is not None


def _has_date(text: str) -> bool:
    """A date, a time or a version number: each holds a digit and one of `-/.:`, tested before the scan."""
    return (("-" in text or "/" in text or "." in text or ":" in text) and _DIGIT_RE.search(text) is not None
            and _DATE_RE.search(text) is not None)


_LABEL_START_RE = re.compile(
    r"^(?:fig(?:ure)?|table|tab|eq(?:uation)?|step|section|chapter|part|algorithm|appendix)\.? *\d", re.I
)
# Matched on `fold_case(text)`: as fast as plain literals, as wide as re.IGNORECASE.
_CHROME_RE = re.compile(
    r"\b(?:log ?in|log ?out|sign ?(?:up|in|out)|signing up|register as|skip to|posted (?:at|on|by)|last updated"
    r"|updated at|delete (?:this )?article|deleted articles?|file metadata|latest commit|go to list|read more"
    r"|(?:more than|over) \d+ (?:years?|months?|days?)|dark theme|view (?:raw|source|all)|copy (?:link|url)"
    r"|share (?:this|on)|follow (?:me|us)|table of contents|all rights reserved|privacy policy|terms of (?:service|use)"
    r"|powered by|subscribe|newsletter|this (?:article|post|blog|entry)|qiita|hatena"
    r"|\d+ (?:lines?|loc|likes?|stocks?|views?|comments?|stars?|forks?)|kb|mb|raw|blame|permalink"
    r"|you can|you get|your needs|click here|thanks? (?:you|for reading))\b",
)


def wordset(text: str) -> frozenset[str]:
    """A set of whitespace-separated words."""
    return frozenset(text.split())


# Lower-case words that mark running prose rather than a title (titles capitalize or avoid them).
_PROSE = wordset(
    "i we you your our my me us they he she it's i'm let's can cannot can't could would should will "
    "won't must might shall was were been being did didn't don't doesn't isn't aren't wasn't please "
    "here there this these those very also just really actually so because but which who whom whose "
    "then than etc"
)
_STOP = wordset(
    "a an the of for and or in on at to by with from via into over under as is are be its vs vs. "
    "versus without within through towards toward beyond about"
)
# Words that make up section headings; a string made only of these is not a paper title.
_SECTION = wordset(
    "abstract introduction intro background related work works method methods methodology approach "
    "proposed proposal model models architecture overview experiment experiments experimental setup "
    "settings setting result results discussion discussions conclusion conclusions summary "
    "references reference appendix limitation limitations future training details detail "
    "implementation implementations evaluation evaluations dataset datasets data analysis ablation "
    "ablations study studies contribution contributions motivation problem problems formulation "
    "preliminaries preliminary notation notations loss function functions performance comparison "
    "comparisons baseline baselines benchmark benchmarks inference code demo installation usage "
    "environment links link paper papers memo memos notes note thoughts todo tl;dr tldr key idea "
    "ideas point points main other others misc miscellaneous final remarks outline agenda pros cons "
    "merits demerits advantages disadvantages strengths weaknesses recap review reviews impression "
    "impressions comment comments question questions answer answers q&a faq table figure figures my "
    "our new recent today latest list reading part section chapter bibliography citation citations "
    "acknowledgement acknowledgements acknowledgment further next previous prev more and of the for "
    "on with in a an to"
)
# Last words of short table/plot labels (`Top-1 Accuracy`, `Batch Size`), which are not titles.
_MEASURE = wordset(
    "accuracy accuracies score scores size sizes rate rates ratio results setting settings hyperparameters "
    "parameters speed time latency memory usage metric metrics error errors loss curve curves"
)
_GENERIC_LINK = wordset(
    "arxiv paper pdf link here this code github project page website site abs html web homepage "
    "openreview 論文 こちら ここ リンク 원문 논문 링크 여기 코드 source official demo blog video slides slide poster "
    "supplementary supp bibtex doi"
)
_EDGE_STRIP = " \t\"'“”‘’「」『』《》〈〉<>*_~`|,;、。・:：-–—"
_MARKUP_RE = re.compile(r"\*\*|__|(?<![A-Za-z0-9])[*_](?=\S)|(?<=\S)[*_](?![A-Za-z0-9])|`|~~")
_MD_LINK_RE = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_LEAD_LABEL_RE = re.compile(
    r"^(?:【[^】]{0,20}】|\[[0-9]{1,3}\]|\(\d{1,3}\)|\d{1,3}[.)](?=\s)|第\d+位|"
    r"(?:paper ?title|title|paper|タイトル|論文名?|原論文|제목|논문(?: ?제목)?)\s*[:：])\s*",
    re.IGNORECASE,
)
_SPACE_RE = re.compile(r"\s+")


def words(text: str) -> list[str]:
    """Latin word tokens of `text`."""
    return _WORD_RE.findall(text)


def is_generic_link_text(text: str) -> bool:
    """True for link texts like `[arxiv]`, `[paper]`, a bare URL or an ID, which say nothing of the title."""
    t = text.strip(" []()*_`\"'").lower()
    return (
        not t
        or t in _GENERIC_LINK
        or t.startswith(("http", "www.", "arxiv:", "arxiv.org"))
        or (not _LETTER_RE.search(t.replace("arxiv", "")))
    )


def clean_title(text: str) -> str:
    """Strip markup, quotes, list/number labels and trailing punctuation; keep the title's own casing."""
    s = _MD_LINK_RE.sub(r"\1", text) if "](" in text else text
    if "*" in s or "_" in s or "`" in s or "~" in s:
        s = _MARKUP_RE.sub("", s)
    if "  " in s or not s.isprintable():  # else every white space is one " " already
        s = _SPACE_RE.sub(" ", s)
    s = s.strip(_EDGE_STRIP)
    for _ in range(3):
        m = _LEAD_LABEL_RE.match(s)
        if not m:
            break
        s = s[m.end() :].strip(_EDGE_STRIP)
    s = s.rstrip(_EDGE_STRIP + ".")
    if s.count("(") > s.count(")") and s.endswith("("):
        s = _SPACE_RE.sub(" ", s.replace("(", " ").strip())  # the only step that can make two spaces meet
    return s.strip(_EDGE_STRIP)


def _prose_penalty(ws: list[str]) -> float:
    hits = sum(1 for w in ws if w in _PROSE)  # case-sensitive: "You Only Look Once" is a title
    if ws and ws[0].lower() in _PROSE and len(ws) > 1 and ws[1][:1].islower():
        hits += 1
    return 1.5 * hits


def title_score(text: str, ws: list[str] | None = None) -> float:
    """Score how much `text` (already cleaned) reads like an English paper title; -inf if it cannot be one. `ws`:
    its `words`, where the caller has them."""
    return _score(text, words(text) if ws is None else ws)


def _score(text: str, ws: list[str]) -> float:
    """`title_score` of `text`, whose words are `ws`."""
    if not text or len(text) > 250 or CJK_RE.search(text) or _urlish(text):
        return -math.inf
    n = len(ws)
    if n < 2 or n > 32 or _CHROME_RE.search(fold_case(text)) or _LABEL_START_RE.match(text):
        return -math.inf
    # One pass over the words with a letter: how many are content words (not stop words), how many of those
    # are capitalized, and whether all of them are section-heading words.
    content = caps = lettered = 0
    sections_only = True
    for w in ws:
        if _LETTERS.isdisjoint(w):
            continue
        lettered += 1
        lw = w.lower()
        if sections_only and lw.strip(".") not in _SECTION:
            sections_only = False
        if lw not in _STOP:
            content += 1
            if w[0].isupper() or w[0].isdigit():
                caps += 1
    if not content or sections_only:
        return -math.inf
    s = 2.0 * caps / content
    colon = bool(_COLON_FORM_RE.match(text))
    s += 1.5 if colon else 0.0
    s += 0.5 if n >= 3 else 0.0
    if text[0].islower() and not colon:
        s -= 1.0
    if text.endswith("."):
        s -= 2.5
    if (". " in text or "! " in text) and _TWO_SENTENCES_RE.search(text):  # two sentences
        s -= 2.0
    if _has_date(text):
        s -= 3.0
    if text.count(",") >= 3:
        s -= 1.0
    if n > 22:
        s -= 1.0
    digits = n - lettered
    s -= 1.0 * max(0, digits - 1)
    if _LETTERS.isdisjoint(ws[-1]) and not colon:
        s -= 1.0  # `Batch Size 256`: settings and versions end in a number, titles rarely do
    if n <= 4 and ws[-1].lower() in _MEASURE:
        s -= 2.5  # `ImageNet Top-1 Accuracy`: a table or plot label
    return s - _prose_penalty(ws)
