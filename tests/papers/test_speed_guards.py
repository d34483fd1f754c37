"""Shortcuts in the paper extractor find what the plain scans find, and stay linear on long or dense text."""

from __future__ import annotations

import re
import time

from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe.papers import extract_papers, find_arxiv_ids
from notepipe.papers._arxiv import _CTX_RE, _from_match, fold_case, iter_arxiv_ids
from notepipe.papers._runs import latin_run_before

# The plain scan the arXiv scanner shortcuts: `_CTX_RE.finditer` over merged windows around each anchor word.
_ANCHOR_RE = re.compile(r"arxiv|ar5iv|alphaxiv|huggingface|10\.48550|eprint", re.IGNORECASE)


def _plain_prefixed_ids(text: str) -> list[tuple[str, int, int]]:
    spans: list[tuple[int, int]] = []
    for anchor in _ANCHOR_RE.finditer(text):
        start, end = max(0, anchor.start() - 32), min(len(text), anchor.end() + 160)
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], end)
        else:
            spans.append((start, end))
    found = []
    for start, end in spans:
        for m in _CTX_RE.finditer(text, start, end):
            aid = _from_match(m)
            if aid:
                found.append((aid, m.start(), m.end()))
    return found


def _prefixed_only(text: str) -> list[tuple[str, int, int]]:
    return [(m.arxiv_id, m.start, m.end) for m in iter_arxiv_ids(text) if "/" not in m.arxiv_id]


# Every prefix form, in odd cases and spacings, next to look-alikes and the letters re.IGNORECASE folds (ı İ ſ K).
_PIECES = st.sampled_from(
    [
        "arXiv:", "ARXIV ", "arxiv id: ", "arXiv No. ", "arXiv番号 ", "arXıv:", "ARXİV:", "arxiv#", "xarxiv:",
        "https://", "http://", "HTTPS://", "httpſ://", "www.", "export.", "arxiv.org/abs/", "arXiv.org/pdf/",
        "ar5iv.org/html/", "ar5iv.labs.arxiv.org/abs/", "alphaxiv.org/overview/", "huggingface.co/papers/",
        "huggingfaceprint = {", "doi.org/", "dx.", "10.48550/arXiv.", "doi", "DOI: ", " : ", "：", "eprint={",
        'eprint = "', "2007.10909", "1706.03762v5", "2101.00001", "0704.0001", "1501.0001", "2999.99999",
        "hep-th/9901001", " ", "   ", "\n", "\t", "\u3000", "論文", "/", ".", "-", "K", "x" * 40, " " * 40,
    ]
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(_PIECES, max_size=40).map("".join))
@example("doi" + " " * 40 + ": 10.48550/arXiv.2305.18290")
@example("huggingfaceprint={1706.03762}")
@example("ARXİV:2101.00001 and arXıv:2101.00002")
def test_prefixed_scan_finds_what_the_plain_window_scan_finds(text: str) -> None:
    assert _prefixed_only(text) == [x for x in _plain_prefixed_ids(text) if "/" not in x[0]]


def test_ignorecase_forms_and_spaced_doi_are_found() -> None:
    assert find_arxiv_ids("ARXİV:2101.00001 と arXıv:2101.00002 を比べた") == ["2101.00001", "2101.00002"]
    text = "DOI :  10.48550/arXiv.2305.18290 を参照"
    [m] = iter_arxiv_ids(text)
    assert (m.arxiv_id, text[m.start : m.end]) == ("2305.18290", "DOI :  10.48550/arXiv.2305.18290")
    assert fold_case("ARXİV ſ") == "arxiv s" and len(fold_case("İİ")) == 2


def test_run_before_stops_at_cjk_brackets_and_sentence_ends() -> None:
    text = "この論文『Deep Residual Learning for Image Recognition』では、ResNet: Deep Residual Learning!"
    assert latin_run_before(text, len(text)) == "ResNet: Deep Residual Learning!"
    line = "It works well. Attention Is All You Need (arXiv:1706.03762)"
    assert latin_run_before(line, line.index(" (")) == "Attention Is All You Need"
    assert latin_run_before("[x] " + "Deep " * 5000 + "Nets", 4 + 5 * 5000 + 4) == "Deep " * 4999 + "Deep Nets"


def _seconds(fn: object, *args: object) -> float:
    started = time.monotonic()
    fn(*args)  # type: ignore[operator]
    return time.monotonic() - started


def test_many_anchor_words_far_apart_stay_linear() -> None:
    # One window per anchor: a scan that looked at every anchor for every window took seconds here.
    text = ("arXiv で読んだ " + "注意機構は並列化しやすい。" * 20 + "\n") * 12_000
    assert _seconds(find_arxiv_ids, text) < 3


def test_dense_ids_and_long_lines_stay_fast() -> None:
    many = "".join(f"- Paper {i}: https://arxiv.org/abs/2101.{i:05d}\n" for i in range(1, 3_000))
    assert _seconds(extract_papers, many) < 10
    assert len(find_arxiv_ids(many)) == 2_999
    unspaced = "注意機構は系列の全位置を同時に見る" * 30_000 + '"Attention Is All You Need", arXiv:1706.03762'
    brackets = "[a" * 50_000 + " arXiv:1706.03762\n" + "![a" * 30_000 + "\n" + "[" * 50_000 + "\n"
    for text in (unspaced, brackets):
        assert _seconds(extract_papers, text) < 10
    assert [p.arxiv_id for p in extract_papers(brackets)] == ["1706.03762"]
