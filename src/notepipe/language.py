"""Script-first language ID for documents and segments; langdetect (seeded) only for Latin-only text."""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from itertools import chain
from pathlib import Path
from typing import Any

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

UND = "und"
# Spans that carry no language: URLs, e-mail addresses, arXiv IDs, file names, numbers with units.
_URL_END = r"[^\s<>\"'\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af]+"
_NUMBER_END = r"[0-9.,:/%x×-]*"
_FREE_PARTS = (
    rf"(?:https?://|ftp://|www\.){_URL_END}",
    # Both name patterns start only where a run of name characters starts: tried at every position of a long
    # unspaced Japanese line, they rescanned it to its end each time (quadratic: minutes for a 300k line).
    r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+",
    r"(?<![A-Za-z0-9])arXiv:\s*[\w./-]+",
    r"(?<![\w-])[\w-]+\.(?:png|jpe?g|gif|svg|pdf|md|py|ipynb|json|txt)\b",
    rf"[0-9]{_NUMBER_END}",
)
#: Text that belongs to no language (URLs, code, numbers…): blanked out before scripts are counted.
LANGUAGE_FREE = re.compile("|".join(_FREE_PARTS), re.IGNORECASE)
# Runs of each script, counted by their lengths (fewer, longer matches than one per character).
KANA_RUN = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]+")
HANGUL_RUN = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]+")
HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
# Below this many Latin words a statistical detector is a coin toss (langdetect calls "dog" pt):
# such short Latin-only segments in our ja/ko posts are English titles, terms and UI labels.
_MIN_WORDS_FOR_DETECTOR = 4
_CJK_LANGS = frozenset({"ja", "ko", "zh"})
# A quotation (typically an English paper title) does not decide the language of the line around it.
QUOTED = re.compile(r"\"[^\"]{3,}\"|“[^”]{3,}”|「[^」]*」|『[^』]*』")
#: The Latin-script languages a ja/ko review post plausibly contains, with English far ahead: the prior of the
#: statistical detector (`detector_factory` keeps only their profiles).
LATIN_PRIOR = {"en": 0.9, "de": 0.02, "fr": 0.02, "es": 0.02, "it": 0.01, "pt": 0.01, "nl": 0.01, "id": 0.01}


@lru_cache(maxsize=1)
def detector_factory() -> DetectorFactory:
    """Our own langdetect factory (not the module global), seeded: langdetect is random unless seeded.

    Its profiles keep only the languages of `LATIN_PRIOR`: with a prior of zero every other language's
    probability stays exactly 0.0 through langdetect's products and sums, so dropping them (order kept, every
    n-gram kept) gives bit-identical answers while each update touches 8 numbers instead of 55.
    """
    factory = DetectorFactory()
    profiles = _profiles(PROFILES_DIRECTORY)
    kept = [profile for profile in profiles if profile["name"] in LATIN_PRIOR]
    factory.langlist = [profile["name"] for profile in kept]
    # What DetectorFactory.load_profile builds, then filtered, in fewer Python steps (a third of a second less):
    # every n-gram of every profile is a key (in first-seen order), mapped to each kept language's frequency
    # (n-grams of 1 to 3 characters), computed as load_profile computes it; 0.0 elsewhere. Keys come in one C-level
    # pass, all mapped to one list of zeros; the few n-grams a kept profile gives a frequency (about 5,000 of
    # 88,000) then get lists of their own, which `update` puts in their keys' places (the key order stays). langdetect
    # only reads these lists (`Detector._update_lang_prob`), so the shared zeros are never written.
    prob_map = dict.fromkeys(chain.from_iterable(profile["freq"] for profile in profiles), [0.0] * len(kept))
    own: dict[str, list[float]] = {}
    for index, profile in enumerate(kept):
        n_words = profile["n_words"]
        for word, count in profile["freq"].items():
            if 1 <= len(word) <= 3:
                if (probs := own.get(word)) is None:
                    probs = own[word] = [0.0] * len(kept)
                probs[index] = 1.0 * count / n_words[len(word) - 1]
    prob_map.update(own)
    factory.word_lang_prob_map = prob_map
    factory.seed = 0
    return factory


def _profiles(directory: str) -> list[dict[str, Any]]:
    """langdetect's language profiles, in the order DetectorFactory.load_profile reads them."""
    profiles = []
    for name in os.listdir(directory):  # noqa: PTH208 -- load_profile's order (directory order, unsorted)
        path = Path(directory, name)
        if not name.startswith(".") and path.is_file():
            with path.open(encoding="utf-8") as fh:
                profiles.append(json.load(fh))
    return profiles


def script_counts(text: str) -> Counter[str]:
    """Count kana, Hangul, Han and Latin letters outside language-free spans."""
    text = blank_free(text)
    return Counter(kana=_count(KANA_RUN, text), hangul=_count(HANGUL_RUN, text), han=_count(HAN_RUN, text),
                   latin=sum(map(len, LATIN_WORD.findall(text))))


def _count(runs: re.Pattern[str], text: str) -> int:
    return sum(map(len, runs.findall(text)))


_Scan = tuple[int, int, int, int, tuple[str, ...]]
_EXTENSION = re.compile(r"\.(?:png|jpe?g|gif|svg|pdf|md|py|ipynb|json|txt)", re.IGNORECASE)
_DIGIT = re.compile(r"[0-9]")


def _free_parts(text: str) -> int:
    """Which of `_FREE_PARTS` can match in `text` (bit i for part i), from text each match must hold.

    (Under IGNORECASE, `w`, `v` and the digits match only themselves and their ASCII capitals.) The texts of two
    characters are looked for only where their `:` or `.` is: one character is ruled out several times faster.
    """
    colon, dot = ":" in text, "." in text
    return ((1 if (colon and "://" in text) or (dot and ("w." in text or "W." in text)) else 0)  # a scheme, `www.`
            | (2 if "@" in text else 0)
            | (4 if colon and ("v:" in text or "V:" in text) else 0)  # the `v:` of `arXiv:`
            | (8 if dot and _EXTENSION.search(text) else 0)
            | (16 if _DIGIT.search(text) else 0))


# The parts other than numbers: a URL, address, arXiv ID or file name may hold letters of any script.
_SCRIPT_PARTS = 0b1111


# URLs, alone or with numbers (most texts that hold a part with letters), as sre searches fast: a pattern that opens
# with one character class is scanned for in C, one that opens with an alternation or with a letter under IGNORECASE
# is tried as a match at every position (several times slower). The first character is read case-sensitively (`h`,
# `f` and `w` have no case forms but their ASCII capitals), and a lookbehind at it picks the branch: the same matches.
_URL_SCANNED = rf"(?-i:[hHfFwW])(?:(?<=[hH])ttps?://|(?<=[fF])tp://|(?<=[wW])ww\.){_URL_END}"
_URL_OR_NUMBER_SCANNED = (rf"(?-i:[hHfFwW0-9])(?:(?<=[hH])ttps?://{_URL_END}|(?<=[fF])tp://{_URL_END}"
                          rf"|(?<=[wW])ww\.{_URL_END}|(?<=[0-9]){_NUMBER_END})")


@lru_cache(maxsize=32)
def _free_pattern(parts: int) -> re.Pattern[str]:
    """`LANGUAGE_FREE` minus the parts that cannot match: as it tries its parts in order at each position, a
    part with no match anywhere in the text never decides anything, so dropping it leaves every match the same."""
    if parts in {0b1, 0b10001}:  # URLs, or URLs and numbers
        return re.compile(_URL_SCANNED if parts == 0b1 else _URL_OR_NUMBER_SCANNED, re.IGNORECASE)
    return re.compile("|".join(p for i, p in enumerate(_FREE_PARTS) if parts >> i & 1), re.IGNORECASE)


def blank_free(text: str) -> str:
    """`LANGUAGE_FREE.sub(" ", text)`, trying only the parts that can match (most lines: numbers, or none)."""
    parts = _free_parts(text)
    return _free_pattern(parts).sub(" ", text) if parts else text


def _script_text(text: str) -> tuple[str, int]:
    """The text with the free parts that may hold letters of any script blanked, and the parts left to blank."""
    parts = _free_parts(text)
    if parts & _SCRIPT_PARTS:
        return _free_pattern(parts).sub(" ", text), 0
    return text, parts


@lru_cache(maxsize=4096)
def scan_text(text: str) -> _Scan:
    """`script_counts` as a tuple, with the Latin words; Han and Latin are left at 0 when there is kana or
    Hangul (a segment's and a document's language then depend on kana and Hangul only).

    Kana and Hangul are counted only when the text holds both; a text with one of them gives 1 for it, 0 for the
    other. Its own language (`kana >= hangul`) is the same either way, and so is a document's as long as no other
    segment holds the other script: `_document_language` counts (`_kana_hangul`) only when the document holds
    both. Counting walks every run of the script (a Python string each), where telling that one is there stops at
    its first letter.
    """
    text, parts = _script_text(text)
    # What is left to blank is numbers at most, which hold no kana, Hangul or Han (a digit starts them, then
    # `[0-9.,:/%x×-]`): those counts are the same in the text as blanked, and blanking waits until the Latin words.
    if text.isascii():  # O(1) in CPython: no kana, Hangul or Han to count
        han = 0
    else:
        kana, hangul = KANA_RUN.search(text) is not None, HANGUL_RUN.search(text) is not None
        if kana and hangul:
            return _count(KANA_RUN, text), _count(HANGUL_RUN, text), 0, 0, ()
        if kana or hangul:
            return int(kana), int(hangul), 0, 0, ()
        han = _count(HAN_RUN, text)
    if parts:
        text = _free_pattern(parts).sub(" ", text)
    words = tuple(LATIN_WORD.findall(text))
    return 0, 0, han, sum(map(len, words)), words


def _kana_hangul(text: str) -> tuple[int, int]:
    """The kana and Hangul letters of a text outside language-free spans, counted (what `scan_text` may only tell)."""
    text = _script_text(text)[0]
    return _count(KANA_RUN, text), _count(HANGUL_RUN, text)


# English function words that the other languages written in Latin script do not use as words. A Latin-only
# line with one is English, and so is a title-case line (in ja/ko posts: a paper title); the statistical
# detector (a third of normalize's time when profiled) is asked only about the rest. langdetect calls the title
# "Denoising Diffusion Probabilistic Models" German.
_ENGLISH_MARKERS = frozenset({"the", "of", "and", "with", "is", "are", "this", "that", "we", "our", "from", "which",
                              "for", "using", "towards", "through", "into", "without"})


def title_case(words: tuple[str, ...]) -> bool:
    """Whether three in four words of three letters or more are capitalized, as in an English title."""
    long_words = [w for w in words if len(w) >= 3]
    return sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


def _latin_language(words: tuple[str, ...]) -> str:
    """Language of a Latin-only line from its words outside language-free spans."""
    if (len(words) < _MIN_WORDS_FOR_DETECTOR or any(w.lower() in _ENGLISH_MARKERS for w in words)
            or title_case(words)):
        return "en"
    return detect_latin(" ".join(words))


@lru_cache(maxsize=8192)
def detect_latin(words: str) -> str:
    """langdetect over the words (seeded, so a pure function of them: paper titles recur, so cache it)."""
    detector = detector_factory().create()
    detector.set_prior_map(LATIN_PRIOR)
    detector.append(words)
    try:
        return str(detector.detect())
    except LangDetectException:
        return "en"


# What `_own_language` returns for a Han-major segment: its language is the document's.
_BY_DOCUMENT = "+doc"


def _own_language(text: str, scan: _Scan) -> str:
    """A segment's language as far as its own scripts tell; `_BY_DOCUMENT` when its Han decides."""
    kana, hangul, han, latin, words = scan
    if kana or hangul:
        return "ja" if kana >= hangul else "ko"
    if han and latin:
        _kana, _hangul, han, latin, _words = scan_text(QUOTED.sub(" ", text))
    if han and han >= latin / 4:
        return _BY_DOCUMENT
    # Han is below a quarter of the Latin letters here, so there are Latin letters whenever there is Han.
    return _latin_language(words) if latin else UND


def _resolve(own: str, doc_lang: str) -> str:
    if own != _BY_DOCUMENT:
        return own
    return doc_lang if doc_lang in _CJK_LANGS else "ja" if doc_lang == UND else "zh"


def segment_language(text: str, doc_lang: str = UND) -> str:
    """Language of one segment: kana ⇒ ja, Hangul ⇒ ko, Han only ⇒ the document's CJK language."""
    return _resolve(_own_language(text, scan_text(text)), doc_lang)


def document_language(texts: Iterable[str]) -> str:
    """Main language of a document from its prose segments (scripts first, then segment votes)."""
    items = list(texts)
    return _document_language(items, [scan_text(text) for text in items])[0]


def languages(texts: list[str]) -> tuple[str, list[str]]:
    """The document's language and each segment's (`segment_language` in that document), scanning each once."""
    scans = [scan_text(text) for text in texts]
    doc_lang, own = _document_language(texts, scans)
    if own is None:
        own = [_own_language(text, scan) for text, scan in zip(texts, scans, strict=True)]
    return doc_lang, [_resolve(lang, doc_lang) for lang in own]


def _document_language(texts: list[str], scans: list[_Scan]) -> tuple[str, list[str] | None]:
    """The document's language, and its segments' own languages when they had to vote."""
    kana = sum(scan[0] for scan in scans)
    hangul = sum(scan[1] for scan in scans)
    if kana and hangul:  # both scripts in the document: their counts decide (see `scan_text`)
        kana, hangul = map(sum, zip(*(_kana_hangul(text) for text in texts), strict=True))
    if kana or hangul:
        return "ja" if kana >= hangul else "ko", None
    han = sum(scan[2] for scan in scans)
    if han and han >= sum(scan[3] for scan in scans) / 4:
        return "zh", None
    own = [_own_language(text, scan) for text, scan in zip(texts, scans, strict=True)]
    votes: Counter[str] = Counter()
    for text, lang in zip(texts, own, strict=True):
        vote = _resolve(lang, UND)
        if vote != UND:
            votes[vote] += len(text)
    return (min(votes, key=lambda k: (-votes[k], k)) if votes else UND), own
