"""Reading the APIs' answers (Atom feed, OpenAlex list) and the rule that accepts a title search's candidate."""

from __future__ import annotations

import pytest

from notepipe.resolution import Canonical, MalformedResponseError, choose, parse_feed, parse_works, similarity
from notepipe.resolution import openalex_query_url as query_url
from tests.site.papers import ArxivApi, ArxivPaper, OpenAlexApi, openalex_work


def _feed(*papers: ArxivPaper, ids: list[str] | None = None) -> bytes:
    api = ArxivApi()
    for paper in papers:
        api.add(paper)
    asked = ids if ids is not None else [p.arxiv_id for p in papers]
    return api.handle({"id_list": ",".join(asked), "max_results": str(len(asked))}, "http://x/api/query").body


def _works(*works: dict[str, object], text: str) -> bytes:
    api = OpenAlexApi(list(works))
    return api.handle("/works", {"filter": f"title.search:{text}", "per-page": "5"}).body


def _candidate(title: str, year: int | None, wid: str, arxiv_id: str | None = None) -> Canonical:
    return Canonical(title=title, authors=(), year=year, arxiv_id=arxiv_id, doi=None, openalex_id=wid,
                     source="openalex", score=0.0)


def test_feed_entries_old_and_new_ids_wrapped_titles_and_unknown_ids() -> None:
    found = parse_feed(_feed(
        ArxivPaper("hep-th/9901001", "An Old\n     Style  Paper", authors=("X. Y.",), published="1999-01-04T00:00:00Z",
                   version=3, primary="hep-th", journal_ref="Nucl.Phys. B1 (1999)\n  1-10"),
        ArxivPaper("2007.10909", "New", doi="10.1/x 10.2/y"), ids=["hep-th/9901001", "2007.10909", "2312.99999"]))
    assert set(found) == {"hep-th/9901001", "2007.10909"}
    old = found["hep-th/9901001"]
    assert (old.title, old.year, old.primary_category, old.journal_ref, old.doi) == (
        "An Old Style Paper", 1999, "hep-th", "Nucl.Phys. B1 (1999) 1-10", None)
    assert found["2007.10909"].doi == "10.1/x"  # several DOIs: the first


@pytest.mark.parametrize(("body", "message"), [
    (b"Rate exceeded.", "not XML"),
    (b"<html><body>busy</body></html>", "expected an Atom <feed>"),
    (b'<feed xmlns="http://www.w3.org/2005/Atom"></feed>', "totalResults"),
])
def test_a_feed_that_is_not_the_documented_shape_is_refused(body: bytes, message: str) -> None:
    with pytest.raises(MalformedResponseError, match=message):
        parse_feed(body)


def test_arxivs_error_entry_for_a_malformed_id_is_an_error_not_an_empty_answer() -> None:
    with pytest.raises(MalformedResponseError, match="incorrect id format for 1234"):
        parse_feed(_feed(ids=["1234"]))


def test_openalex_works_arxiv_id_from_doi_or_location_and_ids_stripped() -> None:
    works = parse_works(_works(
        openalex_work("W1", "Attention Is All You Need Learning", 2017, doi="10.48550/arxiv.1706.03762"),
        openalex_work("W2", "Deep Residual Learning", 2016, doi="10.1109/cvpr.2016.90", arxiv_id="1512.03385"),
        openalex_work("W3", "Plain Learning", 2020), text="learning"))
    assert [(w.openalex_id, w.arxiv_id, w.doi) for w in works] == [
        ("W1", "1706.03762", "10.48550/arxiv.1706.03762"), ("W2", "1512.03385", "10.1109/cvpr.2016.90"),
        ("W3", None, None)]
    assert works[0].authors == ("A. Author",) and works[0].year == 2017


@pytest.mark.parametrize("body", [b"<html>", b"[]", b'{"results": []}', b'{"meta": {}, "results": {}}'])
def test_an_openalex_body_without_meta_and_results_is_refused(body: bytes) -> None:
    with pytest.raises(MalformedResponseError):
        parse_works(body)


def test_choose_needs_similar_titles_a_close_year_and_one_best_work() -> None:
    title = "Attention Is All You Need"
    exact = _candidate("Attention is all you need.", 2017, "W1")
    accepted = choose(title, 2018, [exact])  # one year off: a preprint and its proceedings
    assert accepted is not None and accepted.score == 1.0 and accepted.openalex_id == "W1"
    assert choose(title, 2019, [exact]) is None  # two years off
    assert choose(title, 2017, [_candidate(title, None, "W1")]) is None  # a year the work cannot confirm
    assert choose(title, None, [_candidate("Attention Is Not All You Need", 2021, "W9")]) is None
    assert similarity(title, "Attention Is All You Needs") >= 0.95
    twins = [_candidate(title, 2017, "W1"), _candidate(title, 2017, "W2")]
    assert choose(title, 2017, twins) is None  # equally good, different works: never a guess
    same_paper = [_candidate(title, 2017, "W1", "1706.03762"), _candidate(title, 2018, "W2", "1706.03762")]
    assert choose(title, 2017, same_paper).arxiv_id == "1706.03762"  # type: ignore[union-attr]
    best = choose(title, None, [_candidate("Attention Is All You Needs", 2017, "W5"), _candidate(title, 2017, "W6")])
    assert best is not None and best.openalex_id == "W6"


def test_the_query_url_escapes_filter_syntax_and_carries_mailto() -> None:
    url = query_url("https://api.openalex.org", "BERT: Pre-training, of Deep | Transformers!", "me@example.org")
    assert url == ("https://api.openalex.org/works?filter=title.search:bert%20pre%20training%20of%20deep%20transformers"
                   "&per-page=5&mailto=me@example.org")
