"""Property tests: cleaner, language ID, tokenizer, paper finder and normalize_bytes on any input."""

from __future__ import annotations

import re
import time
import unicodedata

from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from notepipe.formats import EmptyInputError, FormatError, UndecodableError
from notepipe.language import UND, document_language, segment_language
from notepipe.models import Record
from notepipe.normalize import normalize_bytes
from notepipe.papers import extract_papers, find_arxiv_ids
from notepipe.text import clean, nfkc, normalize_space
from notepipe.tokenize import rule_tokens, tokenize

FAST = settings(max_examples=100, deadline=None)
LANGS = frozenset({"ja", "ko", "zh", "en", "de", "fr", "es", "it", "pt", "nl", "id", UND})
_ID = re.compile(r"^(?:\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})$")

# Our domain: kana, Hangul, Han, Latin words, URLs, arXiv IDs, markdown and HTML, mixed with anything.
_PIECES = st.sampled_from([
    "論文", "を読んだ。", "トランスフォーマー", "ｶﾀｶﾅ", "논문", "리뷰를 썼다.", "한국어", "注意機構", "Attention Is All You Need",
    "the model is trained on", " ", "\u3000", "\t", "\n", "\n\n", "\r\n", "https://arxiv.org/abs/1706.03762v5",
    "arXiv:2007.10909", "hep-th/9901001", "(https://example.org/a_(b))", "www.example.com/x", "a@b.org", "```python\n",
    "```", "~~~", "    ", "# ", "## 見出し\n", "> ", "- ", "* ", "1. ", "| a | b |\n|---|---|\n", "**", "*", "_", "~~", "`",
    "[", "](", ")", "![図](fig.png)", "<br>", "<b>", "</b>", "<script>x()</script>", "<!-- c -->", "&amp;", "&#x3042;",
    "&lt;", "def f(x):\n", "    return x\n", "x = 1;\n", "\u200b", "\ufeff", "\x00", "\x7f", "e\u0301", "\u00a0", "①", "ﬁ",
    "===", "---", "\u2028", "。", "、", "!", "?",
])  # fmt: skip
TEXT = st.one_of(st.text(max_size=200), st.lists(st.one_of(_PIECES, st.text(max_size=6)), max_size=40).map("".join))


def _in_order(tokens: list[str], text: str) -> bool:
    pos = 0
    for token in tokens:
        found = text.find(token, pos)
        if found < 0:
            return False
        pos = found + len(token)
    return True


@FAST
@given(TEXT)
@example("e\u200d\u0301")  # a joiner between a letter and its accent: dropped only after NFKC composed
def test_nfkc_and_space_normalization_are_idempotent(text: str) -> None:
    once = nfkc(text)
    assert nfkc(once) == once
    assert unicodedata.is_normalized("NFKC", once)
    assert normalize_space(normalize_space(text)) == normalize_space(text)


@FAST
@given(TEXT, st.one_of(st.none(), TEXT))
def test_clean_never_raises_and_its_blocks_make_the_text(text: str, title: str | None) -> None:
    out, blocks = clean(text, title)
    assert all(b.text.strip() for b in blocks)
    assert "\n\n\n" not in out and out == out.strip("\n")
    pos = 0
    for block in blocks:  # every kept block appears in the text, in order
        found = out.find(block.text, pos)
        assert found >= 0, block
        pos = found + len(block.text)


# Prose with no markup, HTML, entities or code-like lines: what a cleaned post's prose is made of.
_PLAIN = st.lists(st.sampled_from([
    "論文", "を読んだ", "。", "、", "논문", "리뷰", "注意機構", "Attention", "model", " ", "\u3000", "\n", "\n\n", "ｶﾀｶﾅ",
    "①", "2017", "https://arxiv.org/abs/1706.03762", "(", ")", ".", ",",
]), max_size=40).map("".join)  # fmt: skip


_BARE_MARKER = re.compile(r"(?:\d{1,9}[.)]|[-*+])")


@FAST
@given(_PLAIN)
def test_clean_is_idempotent_on_its_own_output(text: str) -> None:
    # clean() reads markdown and writes plain text, so markup in the output (a code span's `**`) would be read
    # again: the fixed point holds for what prose is made of, which is what every cleaned prose line is.
    cleaned, blocks = clean(text)
    # Known gap (open, noted on issue 23): a line that NFKC turns into a bare list marker (`①)` → `1)`) is read
    # as an empty list item the second time. Fixing it changes output; until then such lines are left out here.
    assume(not any(_BARE_MARKER.fullmatch(line.strip()) for line in cleaned.split("\n")))
    # Spaces can add up to an indented code block (`    論文`), whose cleaned text is no longer indented: prose only.
    assume(all(block.kind == "text" for block in blocks))
    again, again_blocks = clean(cleaned)
    assert again == cleaned
    assert again_blocks == blocks


@FAST
@given(st.lists(TEXT, max_size=6))
def test_language_codes_come_from_a_fixed_set(texts: list[str]) -> None:
    doc = document_language(texts)
    assert doc in LANGS
    for text in texts:
        assert segment_language(text, doc) in LANGS
        assert segment_language(text) in LANGS


@FAST
@given(TEXT, st.sampled_from(["ja", "ko", "en", UND]))
def test_tokens_are_non_blank_substrings_in_order(text: str, lang: str) -> None:
    tokens = tokenize(text, lang)
    assert all(t.strip() for t in tokens)
    assert _in_order(tokens, text)
    assert all(t.strip() for t in rule_tokens(text))


@FAST
@given(TEXT)
def test_paper_ids_are_sorted_unique_and_versionless(text: str) -> None:
    ids = find_arxiv_ids(text)
    assert ids == sorted(set(ids)) and all(_ID.match(i) for i in ids)
    papers = extract_papers(text)
    found = [p.arxiv_id for p in papers if p.arxiv_id]
    assert len(found) == len(set(found)) and all(_ID.match(i) for i in found)
    # extract_papers reads the parsed document's NFKC text (`A` + combining grave is `À`, not an `A`); where no
    # markdown or HTML can change the text, it finds exactly the IDs a plain scan finds.
    folded = unicodedata.normalize("NFKC", text)
    if not any(mark in folded for mark in "<>[]()`*_\\&!#|~${}"):
        assert set(found) == set(find_arxiv_ids(folded))


def _check(record: Record) -> None:
    assert Record.model_validate(record.model_dump()) == record
    assert record.lang in LANGS and all(s.lang in LANGS for s in record.segments)
    assert record.arxiv_ids == sorted(set(record.arxiv_ids)) and all(_ID.match(i) for i in record.arxiv_ids)
    assert all(t.strip() for t in record.tokens)
    segment_tokens = [t for s in record.segments
                      for t in (rule_tokens(s.text) if s.kind == "code" else tokenize(s.text, s.lang))]
    assert record.tokens == segment_tokens
    assert _in_order(record.tokens, "\n".join(s.text for s in record.segments))
    assert _in_order([s.text for s in record.segments], record.text)


_EXPECTED = (UndecodableError, EmptyInputError, FormatError)
_DOC = st.one_of(
    TEXT.map(lambda t: t.encode("utf-8")),
    TEXT.map(lambda t: f"<!DOCTYPE html><html><body><article>{t}</article></body></html>".encode()),
    TEXT.map(lambda t: ("---\ntitle: メモ\n---\n" + t).encode("utf-8")),
    st.binary(max_size=300),
    TEXT.map(lambda t: t.encode("utf-8") + b"\xff\xfe\x80" + t.encode("utf-8")),  # invalid UTF-8 in the middle
    TEXT.map(lambda t: t.encode("cp932", errors="ignore")),
)


@FAST
@given(_DOC)
def test_normalize_bytes_gives_valid_records_or_a_declared_error(data: bytes) -> None:
    try:
        records = normalize_bytes(data, source_path="in.md")
    except _EXPECTED as exc:
        assert str(exc)
        return
    for record in records:
        _check(record)


def test_long_lines_stay_linear() -> None:
    # Minimized from the 1 MB paragraph: `[\w.+-]+@` (language) and `\[[^\]]*\]\(` (cleaner, chrome trimmer) were
    # tried from every position of a long line and rescanned it to its end: minutes, where linear is milliseconds.
    started = time.monotonic()
    assert document_language(["注意機構は並列化しやすい" * 5_000]) == "ja"
    normalize_bytes(("# t\n\n" + "[a" * 50_000 + "\n" + "![a" * 30_000 + "\n").encode(), source_path="in.md")
    assert time.monotonic() - started < 10
