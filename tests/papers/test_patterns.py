"""Each title pattern and each trap, one hand-written case at a time (see cases.py)."""

from __future__ import annotations

import pytest
from cases import CASES, Case
from cases_more import MORE_CASES
from evaluate import Tally, score_case

from notepipe.papers import extract_papers, find_arxiv_ids


@pytest.mark.parametrize("case", CASES + MORE_CASES, ids=lambda c: c.name)
def test_case(case: Case) -> None:
    tally = Tally()
    score_case(case, tally)
    assert not tally.errors, tally.errors
    assert tally.pairs_ok == tally.pairs


def test_fields_authors_venue_year() -> None:
    body = '【第9位】: "AugMix: A Simple Data Processing Method to Improve Robustness and Uncertainty", Hendrycks, D., ICLR2020\n'
    (paper,) = extract_papers(body)
    assert paper.title == "AugMix: A Simple Data Processing Method to Improve Robustness and Uncertainty"
    assert paper.authors == ["D. Hendrycks"]
    assert (paper.venue, paper.year) == ("ICLR", 2020)


def test_paren_authors_and_pairing() -> None:
    body = "https://arxiv.org/abs/2010.11929\n\nAn Image is Worth 16x16 Words: Transformers for Image Recognition at Scale (Alexey Dosovitskiy, Lucas Beyer)\n\n이미지를 패치로 잘라 transformer에 넣는다.\n"
    (paper,) = extract_papers(body)
    assert paper.arxiv_id == "2010.11929"
    assert paper.authors == ["Alexey Dosovitskiy", "Lucas Beyer"]


def test_workshop_venue_and_parenthesized_venue() -> None:
    body = '原論文 "Resolution Dependent GAN Interpolation for Controllable Image Synthesis Between Domains", Pinkney, J., Adler, D., (NeurIPS2020 Workshop)\n'
    (paper,) = extract_papers(body)
    assert paper.venue == "NeurIPS Workshop"
    assert paper.year == 2020
    assert paper.authors == ["J. Pinkney", "D. Adler"]


def test_dedup_keeps_first_and_prefers_non_capitals() -> None:
    body = (
        "> *DETR: End-to-End Object Detection with Transformers*\n> - 概要\n\n"
        '"DETR: END-TO-END OBJECT DETECTION WITH TRANSFORMERS", Carion, N., ECCV2020\n'
    )
    papers = extract_papers(body)
    assert [p.title for p in papers] == ["DETR: End-to-End Object Detection with Transformers"]
    assert papers[0].venue == "ECCV"


def test_title_and_id_mentioned_apart_are_merged() -> None:
    body = (
        "- **Title:** Emerging Properties in Self-Supervised Vision Transformers\n- **arXiv:** arXiv:2104.14294\n\n"
        "本文では DINO(https://arxiv.org/abs/2104.14294) と呼ぶ。\n"
    )
    papers = extract_papers(body)
    assert len(papers) == 1
    assert papers[0].arxiv_id == "2104.14294"


def test_every_id_is_in_some_paper_and_order_is_first_mention() -> None:
    body = "先に arXiv:1905.11946 を読み、次に https://arxiv.org/abs/1704.04861 を読んだ。最後に arXiv:1905.11946v5 をもう一度。\n"
    papers = extract_papers(body)
    assert [p.arxiv_id for p in papers] == ["1905.11946", "1704.04861"]
    assert {p.arxiv_id for p in papers} == set(find_arxiv_ids(body))
    assert all(p.title is None for p in papers)


def test_title_keeps_its_capitalization_and_inner_quotes() -> None:
    body = (
        "最近読んだ論文。\nRethinking “Batch” in BatchNorm\nBNのバッチの扱いを調べた。\n"
        "ResNet Strikes Back: An Improved Training Procedure in timm\n学習手順だけで精度が上がる。\n"
    )
    assert [p.title for p in extract_papers(body)] == [
        "Rethinking “Batch” in BatchNorm", "ResNet Strikes Back: An Improved Training Procedure in timm"
    ]


def test_html_remnants_are_stripped() -> None:
    body = "> - 次に読むべき論文は?\n>   - Deep Image Prior</pre></div>\n"
    assert [p.title for p in extract_papers(body)] == ["Deep Image Prior"]


def test_empty_and_plain_bodies() -> None:
    assert extract_papers("") == []
    assert extract_papers("今日はいい天気だった。\n\n오늘은 날씨가 좋았다.\n") == []
