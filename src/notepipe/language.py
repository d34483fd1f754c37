"""Script-first language ID for documents and segments; langdetect (seeded) only for Latin-only text."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from langdetect import DetectorFactory
from langdetect.detector_factory import PROFILES_DIRECTORY
from langdetect.lang_detect_exception import LangDetectException

UND = "und"
# Spans that carry no language: URLs, e-mail addresses, arXiv IDs, file names, numbers with units.
_LANGUAGE_FREE = re.compile(
    r"(?:https?://|ftp://|www\.)[^\s<>\"'\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af]+"
    # Both name patterns start only where a run of name characters starts: tried at every position of a long
    # unspaced Japanese line, they rescanned it to its end each time (quadratic: minutes for a 300k line).
    r"|(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
    r"|(?<![A-Za-z0-9])arXiv:\s*[\w./-]+"
    r"|(?<![\w-])[\w-]+\.(?:png|jpe?g|gif|svg|pdf|md|py|ipynb|json|txt)\b"
    r"|[0-9][0-9.,:/%x×-]*",
    re.IGNORECASE,
)
_KANA = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_HANGUL = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_LATIN_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]{2,}")
# Below this many Latin words a statistical detector is a coin toss (langdetect calls "dog" pt):
# such short Latin-only segments in our ja/ko posts are English titles, terms and UI labels.
_MIN_WORDS_FOR_DETECTOR = 4
_CJK_LANGS = frozenset({"ja", "ko", "zh"})
# A quotation (typically an English paper title) does not decide the language of the line around it.
_QUOTED = re.compile(r"\"[^\"]{3,}\"|“[^”]{3,}”|「[^」]*」|『[^』]*』")
# Latin-script languages a ja/ko review post plausibly contains, with English far ahead.
_LATIN_PRIOR = {"en": 0.9, "de": 0.02, "fr": 0.02, "es": 0.02, "it": 0.01, "pt": 0.01, "nl": 0.01, "id": 0.01}


@lru_cache(maxsize=1)
def _detector_factory() -> DetectorFactory:
    """Our own langdetect factory (not the module global), seeded: langdetect is random unless seeded.

    Its profiles keep only the languages of `_LATIN_PRIOR`: with a prior of zero every other language's
    probability stays exactly 0.0 through langdetect's products and sums, so dropping them (order kept, every
    n-gram kept) gives bit-identical answers while each update touches 8 numbers instead of 55.
    """
    factory = DetectorFactory()
    factory.load_profile(PROFILES_DIRECTORY)
    keep = [i for i, lang in enumerate(factory.langlist) if lang in _LATIN_PRIOR]
    factory.langlist = [factory.langlist[i] for i in keep]
    factory.word_lang_prob_map = {
        word: [probs[i] for i in keep] for word, probs in factory.word_lang_prob_map.items()
    }
    factory.seed = 0
    return factory


def script_counts(text: str) -> Counter[str]:
    """Count kana, Hangul, Han and Latin letters outside language-free spans."""
    kana, hangul, han, latin = _script_counts(text)
    return Counter(kana=kana, hangul=hangul, han=han, latin=latin)


@lru_cache(maxsize=4096)
def _script_counts(text: str) -> tuple[int, int, int, int]:
    """Counted once per line: a document's language and then each of its segments' read the same lines."""
    text = _LANGUAGE_FREE.sub(" ", text)
    return (len(_KANA.findall(text)), len(_HANGUL.findall(text)), len(_HAN.findall(text)),
            sum(len(w) for w in _LATIN_WORD.findall(text)))


# English function words that the other languages written in Latin script do not use as words. A Latin-only
# line with one is English, and so is a title-case line (in ja/ko posts: a paper title); the statistical
# detector (a third of normalize's time when profiled) is asked only about the rest. langdetect calls the title
# "Denoising Diffusion Probabilistic Models" German.
_ENGLISH_MARKERS = frozenset({"the", "of", "and", "with", "is", "are", "this", "that", "we", "our", "from", "which",
                              "for", "using", "towards", "through", "into", "without"})


def _title_case(words: list[str]) -> bool:
    long_words = [w for w in words if len(w) >= 3]
    return sum(w[0].isupper() for w in long_words) >= 0.75 * len(long_words)


def _latin_language(text: str) -> str:
    words = _LATIN_WORD.findall(_LANGUAGE_FREE.sub(" ", text))
    if (len(words) < _MIN_WORDS_FOR_DETECTOR or any(w.lower() in _ENGLISH_MARKERS for w in words)
            or _title_case(words)):
        return "en"
    return _detect_latin(" ".join(words))


@lru_cache(maxsize=8192)
def _detect_latin(words: str) -> str:
    """langdetect over the words (seeded, so a pure function of them: paper titles recur, so cache it)."""
    detector = _detector_factory().create()
    detector.set_prior_map(_LATIN_PRIOR)
    detector.append(words)
    try:
        return str(detector.detect())
    except LangDetectException:
        return "en"


def segment_language(text: str, doc_lang: str = UND) -> str:
    """Language of one segment: kana ⇒ ja, Hangul ⇒ ko, Han only ⇒ the document's CJK language."""
    counts = script_counts(text)
    if counts["kana"] or counts["hangul"]:
        return "ja" if counts["kana"] >= counts["hangul"] else "ko"
    if counts["han"] and counts["latin"]:
        counts = script_counts(_QUOTED.sub(" ", text))
    if counts["han"] and counts["han"] >= counts["latin"] / 4:
        return doc_lang if doc_lang in _CJK_LANGS else "ja" if doc_lang == UND else "zh"
    if counts["latin"]:
        return _latin_language(text)
    if counts["han"]:
        return doc_lang if doc_lang in _CJK_LANGS else "zh"
    return UND


def document_language(texts: Iterable[str]) -> str:
    """Main language of a document from its prose segments (scripts first, then segment votes)."""
    items = list(texts)
    total: Counter[str] = Counter()
    for text in items:
        total.update(script_counts(text))
    if total["kana"] or total["hangul"]:
        return "ja" if total["kana"] >= total["hangul"] else "ko"
    if total["han"] and total["han"] >= total["latin"] / 4:
        return "zh"
    votes: Counter[str] = Counter()
    for text in items:
        lang = segment_language(text)
        if lang != UND:
            votes[lang] += len(text)
    return min(votes, key=lambda k: (-votes[k], k)) if votes else UND
