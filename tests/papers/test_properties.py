"""Property tests: the extractor never raises, and every ID it returns is valid and normalized."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from notepipe.papers import extract_papers, find_arxiv_ids, normalize_arxiv_id

_NEW = re.compile(r"^\d{4}\.\d{4,5}$")
_OLD = re.compile(r"^[a-z-]+/\d{7}$")

# Text built from the pieces that matter (markup, quotes, IDs, CJK, digits) as well as any characters.
_PIECES = st.sampled_from(
    [
        "arXiv:", "arxiv.org/abs/", "https://", "v2", ".pdf", "2007.", "10909", "1412.", "69801", "hep-th/",
        "9901001", "math.GT/", "\"", "“", "”", "**", "*", "> ", "- ", "# ", "\n", "\n\n", "===", "---\n",
        "```\n", "[", "](", ")", "(", "|", ": ", ", ", "Title: ", "論文", "논문", "次に読むべき論文は?",
        "Deep Learning for Everything", "Smith, J., ", "CVPR2020", " et al. ", "2017. ", "は", "。",
    ]
)  # fmt: skip
_TEXT = st.one_of(st.text(max_size=300), st.lists(st.one_of(_PIECES, st.text(max_size=8)), max_size=60).map("".join))


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_never_raises_and_ids_are_valid(text: str) -> None:
    ids = find_arxiv_ids(text)
    assert ids == sorted(set(ids))
    for aid in ids:
        assert _NEW.match(aid) or _OLD.match(aid), aid
        assert normalize_arxiv_id(aid) == aid
    papers = extract_papers(text)
    paper_ids = {p.arxiv_id for p in papers if p.arxiv_id}
    assert paper_ids == set(ids)
    for p in papers:
        assert p.title is None or (p.title.strip() == p.title and p.title)


@given(
    st.integers(7, 40),
    st.integers(1, 12),
    st.integers(1, 99999),
    st.integers(1, 9),
    st.sampled_from(["arXiv:", "https://arxiv.org/abs/"]),
)
def test_generated_valid_ids_roundtrip(yy: int, mm: int, num: int, ver: int, prefix: str) -> None:
    yymm = yy * 100 + mm
    width = 5 if yymm >= 1501 else 4
    if yymm < 704 or num >= 10**width:
        return
    aid = f"{yymm:04d}.{num:0{width}d}"
    found = find_arxiv_ids(f"本文 {prefix}{aid}v{ver} を参照")
    assert found in ([aid], [])  # [] only for months after today


@settings(max_examples=300, deadline=None)
@given(_TEXT)
def test_windowed_scan_equals_full_scan(text: str) -> None:
    """Scanning only around anchor words finds exactly what a scan of the whole text finds."""
    from notepipe.papers import _arxiv

    full = {(m.start(), _arxiv._from_match(m)) for m in _arxiv._CTX_RE.finditer(text)}
    full = {x for x in full if x[1]}
    windowed = {(m.start, m.arxiv_id) for m in _arxiv.iter_arxiv_ids(text)}
    assert full <= windowed
