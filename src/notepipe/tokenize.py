"""Tokenizers: fugashi (ja), python-mecab-ko (ko) and a rule tokenizer, with protected spans kept whole."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

# URLs stop at whitespace, CJK text and closing brackets that were not opened inside the URL.
_URL_END = r"[^\s<>\"'`\u3000-\u30ff\u3400-\u9fff\uac00-\ud7af\uff00-\uffef]+"
_URL = rf"(?:https?|ftp)://{_URL_END}|www\.[\w-]+\.{_URL_END}"
_PROTECTED_PARTS = (
    rf"(?P<url>{_URL})",
    r"(?P<arxiv>(?<![A-Za-z0-9])arXiv:\s?(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?)",
    r"(?P<email>(?<![A-Za-z0-9._%+-])[A-Za-z0-9._%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}\b)",
)
_PROTECTED = re.compile("|".join(_PROTECTED_PARTS), re.IGNORECASE)
# The URL part alone as sre searches fast: a pattern that opens with one character class is scanned for in C, one
# that opens with an alternation or with a letter under IGNORECASE is tried as a match at every position (several
# times slower). Its first letter is read case-sensitively (`h`, `f` and `w` have no case forms but their ASCII
# capitals), and a lookbehind at it picks the branch: the same matches.
_URL_SCANNED = (rf"(?P<url>(?-i:[hHfFwW])(?:(?<=[hH])ttps?://{_URL_END}|(?<=[fF])tp://{_URL_END}"
                rf"|(?<=[wW])ww\.[\w-]+\.{_URL_END}))")
_RULE = re.compile(r"[^\W_]+(?:[-'’.][^\W_]+)*|_+[^\W_]*|\S")
# fugashi segfaults on a ~700,000-character string: no single tokenizer call gets more than this.
MAX_CALL_CHARS = 20_000
_BREAK = re.compile(r"(?<=[。．！？!?\n])")

Spans = tuple[tuple[int, int], ...]


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
    yield from find_protected(text)


def find_protected(text: str) -> Spans:
    """(start, end) of each protected span, as a tuple: found once per line, read by the tokens and the links."""
    # Each part's matches hold text a line can be searched for fast: `://` or `w.` (of `www.`; under IGNORECASE
    # `w` and `v` match only themselves and their capitals), `v:` (of `arXiv:`), `@`. Most lines hold none, and
    # most hold no `:` or no `.`: one character is ruled out several times faster than two.
    colon = ":" in text
    parts = ((1 if (colon and "://" in text) or ("." in text and ("w." in text or "W." in text)) else 0)
             | (2 if colon and ("v:" in text or "V:" in text) else 0)
             | (4 if "@" in text else 0))
    if not parts:
        return ()
    spans = []
    for match in _protected_pattern(parts).finditer(text):
        start, end = match.span()
        if match.lastgroup == "url":
            end = start + len(_trim_url(match.group()))
        spans.append((start, end))
    return tuple(spans)


@lru_cache(maxsize=8)
def _protected_pattern(parts: int) -> re.Pattern[str]:
    """`_PROTECTED` minus the parts that cannot match: it tries its parts in order at each position, so a part
    with no match anywhere in the text never decides anything, and dropping it leaves every match the same."""
    if parts == 1:  # URLs alone (most lines with any part)
        return re.compile(_URL_SCANNED, re.IGNORECASE)
    return re.compile("|".join(p for i, p in enumerate(_PROTECTED_PARTS) if parts >> i & 1), re.IGNORECASE)


def rule_tokens(text: str) -> list[str]:
    """Tokenize by rule: words (with inner hyphens, apostrophes, dots), numbers, and punctuation."""
    return _RULE.findall(text)


@lru_cache(maxsize=1)
def _fugashi() -> Callable[[str], list[str]]:
    import fugashi

    tagger = fugashi.Tagger("-Owakati")  # surfaces separated by spaces: no node object per token
    parse = tagger.parse
    return lambda text: _surfaces(parse(text))


@lru_cache(maxsize=1)
def _mecab_ko() -> Callable[[str], list[str]]:
    import _mecab  # python-mecab-ko's binding: what mecab.MeCab wraps, minus a Morpheme per token
    import mecab
    import mecab_ko_dic

    # mecab.MeCab's own options (its rc file, the mecab-ko-dic dictionary), plus wakati output: surfaces joined
    # by spaces, read in one string instead of one Python tuple and slice per token. No mecab-ko-dic entry or
    # unknown word holds a space (MeCab skips spaces before each token), so the split gives the surfaces. A string
    # parse uses the tagger's own lattice; like fugashi's, the binding holds the GIL while it parses.
    rcfile = Path(mecab.__file__).with_name("mecabrc")
    tagger = _mecab.Tagger(["--rcfile", str(rcfile), "--dicdir", str(mecab_ko_dic.dictionary_path), "-Owakati"])
    parse = tagger.parse

    def analyze(text: str) -> list[str]:
        # From the first non-space character, as python-mecab-ko's offsets count (MeCab itself reads some of
        # Python's spaces as symbols: a leading U+3000 would join the `(` after it).
        text = text.lstrip()
        try:
            out = parse(text)
        except TypeError:  # a string the binding cannot pass to MeCab (a lone surrogate): fail as before
            return list(filter(str.strip, _lattice_surfaces(tagger, text)))
        if out is None:
            raise mecab.MeCabError(tagger.what())
        # Each surface is followed by a space and the output by a newline: its split is the split of what comes
        # before the closing " \n", then the whitespace-only "\n".
        return _surfaces(out[:-2] if out.endswith(" \n") else out)

    return analyze


def _surfaces(out: str) -> list[str]:
    """Surfaces of wakati output (surfaces joined by spaces) without the whitespace-only ones (`str.strip` empty)."""
    words = out.split(" ")
    # Printable text holds no whitespace but " " (every other whitespace character is unprintable), so no surface
    # of it holds any and the only whitespace-only ones are empty: none when no space opens or closes the output
    # and no two spaces meet. Else (a newline, U+3000, an empty output) each surface is checked.
    if out and out.isprintable() and out[0] != " " and out[-1] != " " and "  " not in out:
        return words
    return list(filter(str.strip, words))


def _lattice_surfaces(tagger: Any, text: str) -> list[str]:  # tagger: python-mecab-ko ships no types
    """Surfaces from python-mecab-ko's lattice offsets: what the Korean analyzer read before wakati output."""
    import mecab
    from mecab.utils import create_lattice

    lattice = create_lattice(text)
    if not tagger.parse(lattice):
        raise mecab.MeCabError(tagger.what())
    return [text[start:end] for (start, end), _node in lattice]


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
    """The surfaces of a text in order, whitespace-only ones left out (a rule token always holds a character that
    is not whitespace: a letter or digit, `_` or `\\S`)."""
    if lang == "ja":
        return _fugashi()
    if lang == "ko":
        return _mecab_ko()
    return rule_tokens


def tokenize(text: str, lang: str) -> list[str]:
    """Surface tokens of one segment in order; protected spans stay whole, whitespace is dropped."""
    return tokenize_spans(text, lang, find_protected(text))


def tokenize_spans(text: str, lang: str, spans: Spans) -> list[str]:
    """`tokenize` given the segment's `find_protected` spans (the pipeline reads them for links too)."""
    analyze = _analyzer(lang)
    if not spans:
        return _run(analyze, text)
    tokens: list[str] = []
    pos = 0
    for start, end in spans:
        tokens += _run(analyze, text[pos:start])
        tokens.append(text[start:end])
        pos = end
    tokens += _run(analyze, text[pos:])
    return tokens


def _run(analyze: Callable[[str], list[str]], text: str) -> list[str]:
    if not text or text.isspace():
        return []
    if len(text) <= MAX_CALL_CHARS:
        return analyze(text)
    out: list[str] = []
    for chunk in _chunks(text):
        out += analyze(chunk)
    return out
