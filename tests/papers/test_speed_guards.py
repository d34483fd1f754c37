"""Shortcuts in the paper extractor find what the plain scans find, and stay linear on long or dense text."""

from __future__ import annotations

import gc
import re
import time

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from notepipe.papers import _bib, _doc, _rules_block, _rules_line, extract_papers, find_arxiv_ids
from notepipe.papers._arxiv import _CTX_RE, _from_match, fold_case, iter_arxiv_ids
from notepipe.papers._doc import _parse_line
from notepipe.papers._runs import latin_run_above, latin_run_before

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


# The linear forms match what the plain forms match (the plain forms, as they were, are the references).
_PLAIN_SPLIT_RE = re.compile(r",\s*(?:and\s+)?|\s+and\s+|\s*&\s*|、")
_PLAIN_ETAL_RE = re.compile(
    r"\s*,?\s*(?:et\s+al\.?|\.\.\.|…|(?<=\s)(?:외|等|他|ほか|ら)(?:\s*\d+\s*(?:名|명|人))?$)\s*,?\s*"
)
_PLAIN_PERSON_RE = re.compile(
    r"^(?:[A-Z][a-z]?\.(?:\s?-?[A-Z]\.)*\s?|[A-Z][\w'’-]*\s(?:[A-Z]\.\s)*)*[A-Z][\w'’-]+(?:\s(?:Jr\.|II|III))?$"
)
_PLAIN_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*?)\s*#*\s*$")
_PLAIN_TAG_RE = re.compile(r"</?[A-Za-z][^<>\n]{0,200}?>|<!--.*?-->")
_NAME_BITS = st.lists(
    st.sampled_from(
        [" ", "  ", "\t", ",", "and", " and ", "&", "、", "et", " al", "al.", ".", "...", "…", "ら", "等", "3", "名",
         "A", "J", "o", "Ab", "Smith", "-", "'", "Jr.", "II", "x", "A.", "J.-P.", "Kim"]
    ),
    max_size=25,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_NAME_BITS)
@example("Ab " + "A. " * 6 + "x")
@example("et al., , et al.")
@example("Smith, J.-Kim, A.")
def test_author_regexes_match_their_plain_forms(text: str) -> None:
    assert _bib._SPLIT_RE.split(text) == _PLAIN_SPLIT_RE.split(text)
    assert _bib._ETAL_RE.sub(", ", text) == _PLAIN_ETAL_RE.sub(", ", text)
    assert bool(_bib._PERSON_RE.match(text)) == bool(_PLAIN_PERSON_RE.match(text))
    assert _bib._surname_pairs(text) == _bib._SURNAME_INITIALS_RE.findall(text)


_RUN_BITS = st.lists(
    st.sampled_from(
        ["a", "Ab", ")", ".", "!", "?", "。", " ", "  ", "「", "]", "*", ">", "論", "x. ", "cd. Ef", '"', ","]
    ),
    max_size=30,
).map("".join)


@settings(max_examples=300, deadline=None)
@given(_RUN_BITS, st.integers(0, 40), st.integers(0, 40))
def test_run_above_a_floor_is_the_run_or_none(text: str, end: int, floor: int) -> None:
    end = min(end, len(text))
    run = latin_run_before(text, end)
    assert latin_run_above(text, end, 0) == run
    assert latin_run_above(text, end, min(floor, end)) in (run, None)


_MARKUP_BITS = st.lists(
    st.sampled_from(
        ["#", "##", "#######", " ", "\t", "a", "b c", "<", ">", "<!--", "-->", "<b>", "</i>", "<https://x>", "<http://a", "x",
         "[", "]", "https://", "a.b/c", ":title=", "[https://x:title=", "Deep Nets"]
    ),
    max_size=25,
).map("".join)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(_MARKUP_BITS)
def test_heading_tag_and_hatena_scans_match_their_plain_forms(text: str) -> None:
    plain = _PLAIN_HEADING_RE.match(text.strip())
    line = _parse_line("x" + text.replace("#", "")) if "<" in text else None
    parsed = _parse_line(text)
    if plain and "<" not in text and "`" not in text and ">" not in text:
        assert (parsed.heading, parsed.text) == (len(plain.group(1)), plain.group(2).strip())
    if line is not None:
        assert line.text == _PLAIN_TAG_RE.sub(" ", _doc._AUTOLINK_RE.sub(r"\1", "x" + text.replace("#", ""))).strip()
    want = [(m.span(), m.groups()) for m in _rules_line._HATENA_LINK_RE.finditer(text)]
    assert [(m.span(), m.groups()) for m in _rules_line._hatena_matches(text)] == want


_TITLE_SPLIT = re.compile(r"\s[-–—:]\s|\s*[:：]\s*(?=\S*[^\x00-\x7f])")  # what `_title_cut` replaced


@settings(max_examples=500, deadline=None)
@given(st.lists(st.sampled_from([" ", "\u3000", "\xa0", "\t", "\x1c", "\n", ":", "：", "-", "–", "—", "a", "B", "あ",
                                 "é", "論文"]), max_size=16).map("".join))
@example("\n\u3000B\x1c\n: \n–a")  # a dash cut after a colon whose white space starts before it
@example("Title :\u3000x")  # a non-ASCII space after the colon satisfies the look-ahead
def test_reading_list_title_cut_matches_the_split_it_replaced(text: str) -> None:
    assert _rules_block._title_cut(text) == len(_TITLE_SPLIT.split(text)[0])


def test_a_128k_run_of_colons_in_a_reading_list_item_takes_well_under_two_seconds() -> None:
    # Each colon's look-ahead read the rest of the run: 3.5 s at 32 K before, about 56 s at 128 K; 9 ms at 32 K now.
    assert _seconds(extract_papers, "## References\n\n- " + ":" * 128_000 + " あ\n") < 2
