"""Tokenizers: fugashi (ja), python-mecab-ko (ko) and a rule tokenizer, with protected spans kept whole."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache

# URLs stop at whitespace, CJK text and closing brackets that were not opened inside the URL.
_URL = r"(?:https?|ftp)://[^\s<>\"'`\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]+|www\.[\w-]+\.[^\s<>\"'`\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]+"
_PROTECTED = re.compile(
    rf"(?P<url>{_URL})"
    r"|(?P<arxiv>(?<![A-Za-z0-9])arXiv:\s?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)"
    r"|(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b)",
    re.IGNORECASE,
)
_RULE = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*|_+[^\W_]*|\S")
# fugashi segfaults on a ~700,000-character string: no single tokenizer call gets more than this.
MAX_CALL_CHARS = 20_000
_BREAK = re.compile(r"(?<=[。．！？!?\n])")


def _trim_url(url: str) -> str:
    """Drop trailing punctuation and unbalanced closing brackets from a matched URL."""
    while url and url[-1] in ".,;:!?'\"":
        url = url[:-1]
    for opening, closing in ("()", "[]", "{}"):
        while url.endswith(closing) and url.count(closing) > url.count(opening):
            url = url[:-1]
    return url


def protected_spans(text: str) -> Iterator[tuple[int, int]]:
    """Yield (start, end) of URLs, arXiv IDs and e-mail addresses, which stay single tokens."""
    yield from _protected_spans(text)


@lru_cache(maxsize=4096)
def _protected_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Found once per line: the tokenizer and then the record's links read the same lines."""
    spans = []
    for match in _PROTECTED.finditer(text):
        start, end = match.span()
        if match.lastgroup == "url":
            end = start + len(_trim_url(match.group()))
        spans.append((start, end))
    return tuple(spans)


def rule_tokens(text: str) -> list[str]:
    """Tokenize by rule: words (with inner hyphens, apostrophes, dots), numbers, and punctuation."""
    return _RULE.findall(text)


@lru_cache(maxsize=1)
def _fugashi() -> Callable[[str], list[str]]:
    import fugashi

    tagger = fugashi.Tagger("-Owakati")  # surfaces separated by spaces: no node object per token
    return lambda text: tagger.parse(text).split(" ")


@lru_cache(maxsize=1)
def _mecab_ko() -> Callable[[str], list[str]]:
    import mecab
    from mecab.utils import create_lattice

    analyzer = mecab.MeCab()
    tagger = analyzer._tagger  # what MeCab.parse runs, minus a Morpheme (and parsed features) per token

    def analyze(text: str) -> list[str]:
        text = text.lstrip()  # mecab-ko's offsets count from the first non-space character
        lattice = create_lattice(text)
        if not tagger.parse(lattice):
            raise mecab.MeCabError(tagger.what())
        # Surfaces come from the offsets, so inflected forms stay as written.
        return [text[start:end] for (start, end), _node in lattice]

    return analyze


def _chunks(text: str) -> Iterator[str]:
    """Split text at sentence ends so no analyzer call exceeds MAX_CALL_CHARS."""
    if len(text) <= MAX_CALL_CHARS:
        yield text
        return
    buf = ""
    for sentence in _BREAK.split(text):
        piece = sentence
        while len(piece) > MAX_CALL_CHARS:  # one endless sentence: cut at a space, else hard
            cut = piece.rfind(" ", 0, MAX_CALL_CHARS)
            cut = cut if cut > MAX_CALL_CHARS // 2 else MAX_CALL_CHARS
            if buf:
                yield buf
                buf = ""
            yield piece[:cut]
            piece = piece[cut:]
        if len(buf) + len(piece) > MAX_CALL_CHARS:
            yield buf
            buf = ""
        buf += piece
    if buf:
        yield buf


def _analyzer(lang: str) -> Callable[[str], list[str]]:
    if lang == "ja":
        return _fugashi()
    if lang == "ko":
        return _mecab_ko()
    return rule_tokens


def tokenize(text: str, lang: str) -> list[str]:
    """Surface tokens of one segment in order; protected spans stay whole, whitespace is dropped."""
    analyze = _analyzer(lang)
    tokens: list[str] = []
    pos = 0
    for start, end in protected_spans(text):
        tokens.extend(_run(analyze, text[pos:start]))
        tokens.append(text[start:end])
        pos = end
    tokens.extend(_run(analyze, text[pos:]))
    return tokens


def _run(analyze: Callable[[str], list[str]], text: str) -> list[str]:
    if not text.strip():
        return []
    out: list[str] = []
    for chunk in _chunks(text):
        out.extend(t for t in analyze(chunk) if t.strip())
    return out
