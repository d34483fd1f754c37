"""The resolve stage against loopback fakes of the arXiv API and OpenAlex: lookups, caching in raw/, faults."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from notepipe.curate import curate
from notepipe.resolution import MISS_RETRY_DAYS, resolve
from tests.resolution.papersite import (
    ATTENTION,
    RESNET_TITLE,
    config_for,
    curated_files,
    ids_post,
    papers_of,
    records_of,
    rows,
    write_post,
)
from tests.site import Body, FixtureSite, Status
from tests.site.papers import ArxivPaper, openalex_work


def _know_attention(site: FixtureSite) -> None:
    site.arxiv.add(ArxivPaper(ATTENTION, "Attention Is All\n  You Need", authors=("Ashish Vaswani", "Noam Shazeer"),
                              published="2017-06-12T17:57:34Z", updated="2023-08-02T00:41:18Z", version=7,
                              primary="cs.CL", doi="10.5555/3295222.3295349", journal_ref="NIPS 2017"))


def test_ids_resolve_with_arxiv_metadata_and_unknown_ids_are_misses(site: FixtureSite, tmp_path: Path) -> None:
    _know_attention(site)
    config = config_for(site, tmp_path)
    write_post(config, "a.md", "# メモ\n\n読んだ論文: Attention Is All You Need (arXiv:1706.03762)\n\n"
                               "RNN を使わない。タイポ: arXiv:2312.99999\n")
    arxiv, openalex = resolve(config)
    assert (arxiv.status, arxiv.new, arxiv.skipped, arxiv.requests) == ("ok", 1, 1, 1)
    assert openalex.status == "unchanged" and openalex.requests == 0  # the title is paired with its ID
    assert site.arxiv.asked == [[ATTENTION, "2312.99999"]]
    report = curate(config.raw_dir, config.curated_dir)
    assert report.errors == 0
    papers = papers_of(config)
    assert papers[f"arxiv:{ATTENTION}"]["canonical"] == {
        "title": "Attention Is All You Need", "authors": ["Ashish Vaswani", "Noam Shazeer"], "year": 2017,
        "arxiv_id": ATTENTION, "doi": "10.5555/3295222.3295349", "openalex_id": None, "source": "arxiv",
        "score": 1.0, "primary_category": "cs.CL", "journal_ref": "NIPS 2017"}
    assert papers["arxiv:2312.99999"]["canonical"] is None
    [record] = records_of(config)
    by_id = {p["arxiv_id"]: p for p in record["papers"]}
    assert by_id[ATTENTION]["title"] == "Attention Is All You Need"  # as the post wrote it
    assert (by_id[ATTENTION]["canonical_title"], by_id[ATTENTION]["canonical_arxiv_id"]) == (
        "Attention Is All You Need", ATTENTION)
    assert (by_id["2312.99999"]["canonical_title"], by_id["2312.99999"]["canonical_arxiv_id"]) == (None, None)
    stored = sorted(p.relative_to(config.raw_dir).as_posix() for p in Path(config.raw_dir, "arxiv").rglob("*"))
    assert len([p for p in stored if p.endswith(".xml")]) == 1
    sidecar = json.loads(next(Path(config.raw_dir, "arxiv").rglob("*.meta.json")).read_text("utf-8"))
    assert sidecar["keys"] == [ATTENTION, "2312.99999"] and sidecar["service"] == "arxiv"
    assert sidecar["fetched_url"].endswith("?id_list=1706.03762,2312.99999&max_results=2")


def test_250_ids_take_3_batched_requests_and_a_second_run_none(site: FixtureSite, tmp_path: Path) -> None:
    ids = [f"2101.{n:05d}" for n in range(1, 251)]
    for i in ids[::2]:
        site.arxiv.add(ArxivPaper(i, f"Paper {i}"))
    config = config_for(site, tmp_path)
    write_post(config, "many.md", ids_post(ids))
    arxiv, _ = resolve(config)
    assert [len(batch) for batch in site.arxiv.asked] == [100, 100, 50]
    assert (arxiv.requests, arxiv.new, arxiv.skipped) == (3, 125, 125)
    before = len(site.requests)
    arxiv, openalex = resolve(config)  # found ones are kept, misses are younger than 30 days: nothing to ask
    assert len(site.requests) == before
    assert (arxiv.status, arxiv.unchanged, arxiv.requests, openalex.requests) == ("unchanged", 250, 0, 0)


def test_misses_are_asked_again_after_30_days_and_refresh_asks_everything(site: FixtureSite, tmp_path: Path) -> None:
    _know_attention(site)
    config = config_for(site, tmp_path)
    write_post(config, "a.md", ids_post([ATTENTION, "2312.99999"]))
    now = datetime.now(UTC)
    resolve(config, now=now)
    assert site.arxiv.asked == [[ATTENTION, "2312.99999"]]
    resolve(config, now=now + timedelta(days=MISS_RETRY_DAYS - 1))
    assert len(site.arxiv.asked) == 1
    site.arxiv.add(ArxivPaper("2312.99999", "A Paper Announced Late"))
    (arxiv, _) = resolve(config, now=now + timedelta(days=MISS_RETRY_DAYS + 1))
    assert site.arxiv.asked[1] == ["2312.99999"] and arxiv.new == 1
    curate(config.raw_dir, config.curated_dir)
    assert papers_of(config)["arxiv:2312.99999"]["canonical"]["title"] == "A Paper Announced Late"
    (arxiv, _) = resolve(config, refresh=True, now=now + timedelta(days=MISS_RETRY_DAYS + 2))
    assert sorted(site.arxiv.asked[2]) == sorted([ATTENTION, "2312.99999"]) and arxiv.requests == 1
    assert len(list(Path(config.raw_dir, "arxiv").rglob("*.xml"))) == 3  # every answer kept, none rewritten


def test_titles_resolve_through_openalex_and_merge_with_the_id_row(site: FixtureSite, tmp_path: Path) -> None:
    _know_attention(site)
    site.openalex.add(openalex_work("W2963403868", "Attention Is All You Need", 2017,
                                    doi="10.48550/arxiv.1706.03762", authors=("Ashish Vaswani",)))
    site.openalex.add(openalex_work("W2194775991", RESNET_TITLE, 2016, doi="10.1109/cvpr.2016.90",
                                    arxiv_id="1512.03385", authors=("Kaiming He",)))
    site.openalex.add(openalex_work("W1", "Generative Adversarial Nets", 2014, doi="10.1/gan-a"))
    site.openalex.add(openalex_work("W2", "Generative adversarial nets", 2014, doi="10.1/gan-b"))
    site.openalex.add(openalex_work("W3", "Denoising Diffusion Probabilistic Models", 2020, arxiv_id="2006.11239"))
    config = config_for(site, tmp_path)
    write_post(config, "ids.md", ids_post([ATTENTION, "1512.03385"]))
    write_post(config, "titles.md", "## References\n"
               "- A. Vaswani, N. Shazeer. Attention is all you need. NeurIPS, 2017.\n"
               "- K. He, X. Zhang, S. Ren, J. Sun. Deep Residual Learning for Image Recognition. CVPR, 2016.\n"
               "- I. Goodfellow, J. Pouget. Generative Adversarial Nets. NeurIPS, 2014.\n"
               "- J. Ho, A. Jain. Denoising Diffusion Probabilistic Models. NeurIPS, 2023.\n"
               "- A. Nobody, B. Nobody. A Paper Nobody Indexed At All. ICML, 2021.\n")
    _, openalex = resolve(config)
    assert openalex.requests == 5 and (openalex.new, openalex.skipped) == (2, 3)
    assert site.openalex.mailtos == ["tests@example.org"] * 5
    curate(config.raw_dir, config.curated_dir)
    papers = papers_of(config)
    # The title-only mention and the ID-only one are one row now: arXiv's metadata wins over OpenAlex's.
    attention = papers[f"arxiv:{ATTENTION}"]
    assert attention["post_ids"] == sorted(attention["post_ids"]) and len(attention["post_ids"]) == 2
    assert attention["canonical"]["source"] == "arxiv"
    resnet = papers["arxiv:1512.03385"]  # arXiv does not know it here, OpenAlex does (by its arXiv location)
    assert resnet["canonical"]["source"] == "openalex" and resnet["canonical"]["openalex_id"] == "W2194775991"
    assert resnet["canonical"]["doi"] == "10.1109/cvpr.2016.90" and resnet["mentions"] == 2
    assert papers["title:generative adversarial nets"]["canonical"] is None  # two equally good: never a guess
    assert papers["title:denoising diffusion probabilistic models"]["canonical"] is None  # 2020 vs. the post's 2023
    assert papers["title:a paper nobody indexed at all"]["canonical"] is None
    titles = {p["title"]: p for r in records_of(config) for p in r["papers"]}
    assert titles[RESNET_TITLE]["canonical_arxiv_id"] == "1512.03385" and titles[RESNET_TITLE]["arxiv_id"] is None


def test_retry_after_then_success_and_a_malformed_body_stores_nothing(site: FixtureSite, tmp_path: Path) -> None:
    _know_attention(site)
    config = config_for(site, tmp_path)
    write_post(config, "a.md", ids_post([ATTENTION]))
    site.fail(r"^/arxiv/", Status(429, {"Retry-After": "0"}), Status(503))
    (arxiv, _) = resolve(config)
    assert (arxiv.status, arxiv.new, arxiv.requests) == ("ok", 1, 3)
    site.fail(r"^/arxiv/", Body(b"<html>Rate exceeded.</html>", "text/html"))
    (arxiv, _) = resolve(config, refresh=True)
    assert (arxiv.status, arxiv.failed) == ("failed", 1)
    assert "not XML" in arxiv.message or "Atom" in arxiv.message
    assert len(list(Path(config.raw_dir, "arxiv").rglob("*.xml"))) == 1
    curate(config.raw_dir, config.curated_dir)
    [error] = rows(Path(config.curated_dir) / "errors.jsonl")
    assert (error["stage"], error["error"]) == ("resolve", "MalformedResponseError")
    assert papers_of(config)[f"arxiv:{ATTENTION}"]["canonical"] is not None  # the earlier answer still holds


def test_an_unreachable_api_changes_nothing_but_errors(site: FixtureSite, tmp_path: Path) -> None:
    site.openalex.add(openalex_work("W2194775991", RESNET_TITLE, 2016, arxiv_id="1512.03385"))
    config = config_for(site, tmp_path / "down")
    text = ids_post([ATTENTION]) + f"\n## References\n- K. He, X. Zhang. {RESNET_TITLE}. CVPR, 2016.\n"
    write_post(config, "a.md", text)
    site.fail(r"^/(arxiv|openalex)/", *[Status(503)] * 6)
    arxiv, openalex = resolve(config)
    assert (arxiv.status, openalex.status) == ("unreachable", "unreachable")
    assert "tests@example.org" not in json.dumps([r.to_dict() for r in (arxiv, openalex)])  # mailto scrubbed
    assert not Path(config.raw_dir, "arxiv").exists() and not Path(config.raw_dir, "openalex").exists()
    curate(config.raw_dir, config.curated_dir)
    off = config_for(site, tmp_path / "off", resolve=False)
    write_post(off, "a.md", text)
    assert resolve(off) == []
    curate(off.raw_dir, off.curated_dir)
    down, baseline = curated_files(config), curated_files(off)
    for name in ("records/unknown.jsonl", "papers.jsonl"):
        assert down[name] == baseline[name]
    errors = rows(Path(config.curated_dir) / "errors.jsonl")
    assert {(e["stage"], e["error"]) for e in errors} == {("resolve", "UnreachableError")}


def test_recurating_offline_is_byte_identical(site: FixtureSite, tmp_path: Path) -> None:
    _know_attention(site)
    site.openalex.add(openalex_work("W2194775991", RESNET_TITLE, 2016, arxiv_id="1512.03385"))
    config = config_for(site, tmp_path)
    write_post(config, "a.md", ids_post([ATTENTION]) + f"\n## References\n- K. He, X. Zhang. {RESNET_TITLE}. CVPR, 2016.\n")
    resolve(config)
    curate(config.raw_dir, config.curated_dir)
    first = curated_files(config)
    site.stop()  # no network from here on
    report = curate(config.raw_dir, config.curated_dir)
    assert report.processed == 0 and report.changed == [] and curated_files(config) == first
    shutil.rmtree(config.curated_dir)  # cache included: everything rebuilt from raw/
    curate(config.raw_dir, config.curated_dir)
    assert curated_files(config) == first
    assert papers_of(config)["arxiv:1512.03385"]["canonical"]["openalex_id"] == "W2194775991"


def test_a_new_answer_updates_output_without_reprocessing_posts(site: FixtureSite, tmp_path: Path) -> None:
    config = config_for(site, tmp_path)
    write_post(config, "a.md", ids_post([ATTENTION]))
    curate(config.raw_dir, config.curated_dir)
    assert papers_of(config)[f"arxiv:{ATTENTION}"]["canonical"] is None
    _know_attention(site)
    resolve(config)
    report = curate(config.raw_dir, config.curated_dir)
    assert report.processed == 0 and "papers.jsonl" in report.changed
    [record] = records_of(config)
    assert record["papers"][0]["canonical_title"] == "Attention Is All You Need"


def test_resolution_off_never_touches_the_network(site: FixtureSite, tmp_path: Path) -> None:
    config = config_for(site, tmp_path, resolve=False)
    write_post(config, "a.md", ids_post([ATTENTION]))
    assert resolve(config) == [] and site.requests == []
    assert site.arxiv_api.split("//")[1].split("/")[0] not in config.allowlist()


@pytest.mark.parametrize("mailto", ["not-an-address", "two words@x.org"])
def test_mailto_must_be_an_address(mailto: str) -> None:
    from pydantic import ValidationError

    from notepipe.config import PapersConfig

    with pytest.raises(ValidationError, match="not an e-mail address"):
        PapersConfig(mailto=mailto)


def test_offline_names_that_do_not_resolve_fail_fast_and_curate_still_runs(site: FixtureSite, tmp_path: Path) -> None:
    config = config_for(site, tmp_path, arxiv_api="http://export.arxiv.invalid/api/query",
                        openalex_api="http://api.openalex.invalid")
    write_post(config, "a.md", ids_post([ATTENTION]) + f"\n## References\n- K. He, X. Zhang. {RESNET_TITLE}. CVPR, 2016.\n")
    arxiv, openalex = resolve(config)
    assert (arxiv.status, openalex.status) == ("unreachable", "unreachable")
    assert "cannot resolve host" in arxiv.message and arxiv.failed == 1 and openalex.failed == 1
    report = curate(config.raw_dir, config.curated_dir)
    assert report.errors_by_stage == {"resolve": 2}
    assert all(row["canonical"] is None for row in papers_of(config).values())


def test_a_retry_after_longer_than_max_wait_pauses_that_api_for_the_next_run(site: FixtureSite, tmp_path: Path) -> None:
    _know_attention(site)
    config = config_for(site, tmp_path)
    write_post(config, "a.md", ids_post([ATTENTION]))
    site.fail(r"^/arxiv/", Status(429, {"Retry-After": "3600"}))
    (arxiv, _) = resolve(config)
    assert (arxiv.status, arxiv.failed, arxiv.requests) == ("paused", 1, 1)
    assert "resume later" in arxiv.message and not Path(config.raw_dir, "arxiv").exists()
    (arxiv, _) = resolve(config)  # the next run asks again
    assert (arxiv.status, arxiv.new) == ("ok", 1)
