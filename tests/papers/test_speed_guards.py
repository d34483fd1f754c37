"""Shortcuts in the paper extractor find what the plain scans find, and stay linear on long or dense text."""

from __future__ import annotations

import gc
import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe.papers import extract_papers, find_arxiv_ids, parse_reference
from notepipe.papers._arxiv import _CTX_RE, _from_match, fold_case, iter_arxiv_ids

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


# Hostile single lines: each rule that read a run or a tail per mention re-read the line from its start, so a line of
# many mentions took quadratic time. The work on a 4x longer line must stay well under 16x (quadratic). Steady on a
# busy machine: each timing is at least 50 ms, small and big are timed in turns, the best of five is kept, and the
# garbage collector (whose full passes grow with what is alive) is off.
def _timed(text: str, reps: int) -> float:
    started = time.perf_counter()
    for _ in range(reps):
        extract_papers(text)
    return time.perf_counter() - started


def _growth(unit: str, size: int, tail: str = "") -> float:
    """How much longer a line of repeated `unit` 4x as long as `size` takes (about 4 if linear, 16 if quadratic)."""
    small, big = (_line(unit, n, tail) for n in (size, 4 * size))
    extract_papers(small)  # warm the title cache
    gc.collect()
    gc.disable()
    try:
        reps = 1
        while _timed(small, reps) < 0.05:
            reps *= 2
        times = [(_timed(small, reps), _timed(big, reps)) for _ in range(5)]
    finally:
        gc.enable()
    return min(b for _, b in times) / min(s for s, _ in times)


# Shapes that were quadratic: each mention re-read the whole line (or each start its whole run).
HOSTILE = [
        '"Attention ',  # quotes: each read the whole line before it for its authors and label
        'Smith, J.,"',  # stray closing quotes before author names: each re-read the run and the rest of the line
        'Attention Is All You Need", Smith, J., ',
        '"Ab Cd", ',  # quoted titles after commas: each parsed the line before it as an author list
        "Title arXiv:2101.00001 ",  # inline IDs: each re-read the line before it
        "https://arxiv.org/abs/2101.00001:",
        "<!--",  # unclosed HTML comments: each scanned to the end of the line
        "<https://x",  # unclosed autolinks: each start scanned its URL run
        "[https://x:title=",  # Hatena links: each start scanned its URL run, trying every `:title=`
    ]
LONG_WORD = ("Ab", ' x, "Attention Is All You Need", CVPR 2020')  # its author parse tried each capital as a surname


def _line(unit: str, n: int, tail: str = "") -> str:
    return (unit * (n // len(unit) + 1))[:n] + tail


@pytest.mark.parametrize("unit", HOSTILE)
def test_a_128k_hostile_line_takes_well_under_two_seconds(unit: str) -> None:
    # Linear now: 0.002-0.05 s here. The quadratic code took 5-14 s on the cheapest shapes (`<https://x`, `<!--`)
    # and about 140 s on `"Ab Cd", ` (16x its 32 K time).
    assert _seconds(extract_papers, _line(unit, 128_000)) < 2


def test_a_128k_word_before_a_quoted_title_takes_well_under_two_seconds() -> None:
    assert _seconds(extract_papers, _line(LONG_WORD[0], 128_000, LONG_WORD[1])) < 2


@pytest.mark.slow
@pytest.mark.parametrize("unit", HOSTILE)
def test_hostile_lines_grow_linearly(unit: str) -> None:
    assert _growth(unit, 8_000) < 10


@pytest.mark.slow
def test_long_word_before_a_quoted_title_grows_linearly() -> None:
    assert _growth(LONG_WORD[0], 8_000, LONG_WORD[1]) < 10


def test_backtracking_blowups_are_gone() -> None:
    # `Ab A. A. ...` as a name: a regex of two ways to read each initial took exponential time (seconds at 24).
    names = "Ab " + "A. " * 24 + 'x, "Attention Is All You Need", CVPR 2020'
    # White space in author text: the `et al.` and split regexes took cubic and quadratic time (seconds at 1500).
    spaced = "Smith, J.," + " " * 1_500 + 'x, "Attention Is All You Need", CVPR 2020'
    # A heading closed by long runs of white space and `#`: cubic (seconds at 2000).
    heading = "# a" + " " * 2_000 + "#" * 2_000 + " b"
    for text in (names, spaced, heading):
        assert _seconds(extract_papers, text) < 0.5
    assert [p.title for p in extract_papers(names)] == ["Attention Is All You Need"]


def test_reference_parser_on_long_hostile_strings_stays_fast() -> None:
    # The parser reads at most the first 800 characters of a string: a long run of initials, periods or quotes
    # costs no more than a short one.
    # A long ja/ko line with no space before a year: the label before a reference is read word by word.
    for text in ("A. " * 40_000, "Smith, J., " * 20_000 + "(2020). T.", '"' * 100_000, ". " * 100_000,
                 "論文" * 50_000 + " 2019", ("論文" * 300 + " ") * 300 + "2019"):
        assert _seconds(parse_reference, text) < 0.5
