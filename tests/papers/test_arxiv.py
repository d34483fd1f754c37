"""arXiv ID grammar: every written form is found and normalized; look-alikes are rejected."""

from __future__ import annotations

import pytest

from notepipe.papers import find_arxiv_ids, normalize_arxiv_id

FOUND = [
    ("arXiv:2007.10909", "2007.10909"),
    ("arXiv:2007.10909v3 を参照", "2007.10909"),
    ("arXiv 1706.03762 で提案された", "1706.03762"),
    ("arXiv ID: 1512.03385", "1512.03385"),
    ("論文は https://arxiv.org/abs/2010.11929 にある", "2010.11929"),
    ("http://arxiv.org/abs/0704.0001v1", "0704.0001"),
    ("arxiv.org/pdf/1409.1556v6.pdf", "1409.1556"),
    ("https://arxiv.org/pdf/2106.09685", "2106.09685"),
    ("https://arxiv.org/html/2402.17764v1", "2402.17764"),
    ("https://export.arxiv.org/abs/1502.03167", "1502.03167"),
    ("https://ar5iv.org/abs/1406.2661", "1406.2661"),
    ("https://ar5iv.labs.arxiv.org/html/1505.04597", "1505.04597"),
    ("https://www.alphaxiv.org/abs/2312.00752", "2312.00752"),
    ("https://huggingface.co/papers/2307.09288", "2307.09288"),
    ("https://doi.org/10.48550/arXiv.2305.18290", "2305.18290"),
    ("DOI: 10.48550/ARXIV.2305.18290", "2305.18290"),
    ("[링크](https://arxiv.org/abs/2005.14165)", "2005.14165"),
    ("YOLOv4(https://arxiv.org/abs/2004.10934)도 그렇고", "2004.10934"),
    ("（arXiv:1810.04805）を読んだ", "1810.04805"),
    ("<https://arxiv.org/abs/1910.10683>", "1910.10683"),
    ("eprint={1706.03762}, archivePrefix={arXiv}", "1706.03762"),
    ("hep-th/9901001 の議論", "hep-th/9901001"),
    ("arXiv:math.GT/0309136", "math/0309136"),
    ("cs/0112017v2 참조", "cs/0112017"),
    ("https://arxiv.org/abs/cond-mat/0102536v1", "cond-mat/0102536"),
    ("arXiv:1412.6980", "1412.6980"),
    ("arXiv:1501.00001", "1501.00001"),
]

REJECTED = [
    "2013.12345 という数字",  # bare number, and month 13
    "arXiv:2013.12345",  # invalid month
    "arXiv:0703.1234",  # before the new scheme began (2007-04)
    "arXiv:1412.12345",  # five digits before 2015
    "arXiv:1501.1234",  # four digits from 2015 on
    "arXiv:2001.00000",  # sequence number zero
    "1706.03762",  # a bare new-scheme number has no arXiv context
    "精度は 2007.10909 まで上がった",  # a decimal in prose
    "バージョン 2.10.1 と 1.13",  # version strings
    "2020.06.15 に公開",  # a date
    "https://doi.org/10.1109/CVPR.2016.90",  # another publisher's DOI
    "10.1145/3292500.3330701",
    "perceiverIO_2107.14795.md",  # file names
    "![図](images/2107.14795/fig1.png)",
    "notes/cs/0112017.md",  # a path, not an old-scheme ID
    "xyz/9901001",  # not an arXiv archive
    "hep-th/9913001",  # month 13
    "hep-th/0801001",  # old scheme ended in 2007-03
    "arXiv:2007.10909extra",
]


@pytest.mark.parametrize(("text", "expected"), FOUND)
def test_found(text: str, expected: str) -> None:
    assert find_arxiv_ids(text) == [expected]


@pytest.mark.parametrize("text", REJECTED)
def test_rejected(text: str) -> None:
    assert find_arxiv_ids(text) == []


def test_sorted_unique_versionless() -> None:
    text = "arXiv:2007.10909v2 と https://arxiv.org/abs/2007.10909 と arXiv:1706.03762 と hep-th/9901001v3"
    assert find_arxiv_ids(text) == ["1706.03762", "2007.10909", "hep-th/9901001"]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2007.10909v2", "2007.10909"),
        ("arXiv:2007.10909", "2007.10909"),
        ("math.GT/0309136", "math/0309136"),
        ("hep-th/9901001", "hep-th/9901001"),
        ("2013.12345", None),
        ("not an id", None),
    ],
)
def test_normalize(value: str, expected: str | None) -> None:
    assert normalize_arxiv_id(value) == expected
