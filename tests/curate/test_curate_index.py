"""The papers index across posts, and the upsert of records that share an id."""

from __future__ import annotations

import json
from pathlib import Path

from rawtree import GITHUB_KEY, LOCAL_NOTE, QIITA_BODY_V2, QIITA_KEY, RawTree, qiita_item, read_jsonl, records_by_id

from notepipe.curate import curate, normalized_title, paper_index
from notepipe.models import Paper, Record


def _record(rid: str, *papers: Paper) -> Record:
    return Record(id=rid, source="unknown", lang="ja", text="x", content_hash="0" * 64, papers=list(papers))


def test_title_id_and_id_only_and_title_only_mentions_merge(raw: RawTree, curated: Path) -> None:
    raw.qiita()  # "Attention Is All You Need (arXiv:1706.03762)": title paired with the ID
    raw.github()  # https://arxiv.org/abs/1706.03762 only
    raw.local("samples/reading_note.md", LOCAL_NOTE.encode())  # the title only, with (…, 2017)
    curate(raw.root, curated)
    local_id = next(i for i in records_by_id(curated) if i.startswith("file:"))
    rows = {row["key"]: row for row in read_jsonl(curated / "papers.jsonl")}
    assert list(rows) == sorted(rows)
    row = rows["arxiv:1706.03762"]
    assert row["post_ids"] == sorted([QIITA_KEY, GITHUB_KEY, local_id])
    assert row["mentions"] == 3
    assert row["title"] == "Attention Is All You Need"
    assert row["titles"] == ["Attention Is All You Need"]
    assert row["year"] == 2017
    assert not any(key.startswith("title:") for key in rows)


def test_id_only_post_alone_gives_an_untitled_row(raw: RawTree, curated: Path) -> None:
    raw.github()
    curate(raw.root, curated)
    [row] = read_jsonl(curated / "papers.jsonl")
    assert row == {"key": "arxiv:1706.03762", "arxiv_id": "1706.03762", "title": None, "titles": [], "authors": [],
                   "venue": None, "year": None, "post_ids": [GITHUB_KEY], "mentions": 1,
                   "reviews": 0, "citations": 1, "canonical": None}


def test_best_title_and_title_keys() -> None:
    rows = paper_index([
        _record("a", Paper(title="Deep Residual Learning for Image Recognition", arxiv_id="1512.03385")),
        _record("b", Paper(title="Deep residual learning for image recognition", arxiv_id="1512.03385",
                           authors=["Kaiming He"], year=2016, venue="CVPR")),
        _record("c", Paper(title="Deep Residual Learning for Image Recognition"), Paper(title="ＧＡＮ　の論文")),
        _record("d", Paper(title="Generative Adversarial Nets", year=2014), Paper(title="GAN の論文!")),
    ])
    by_key = {row["key"]: row for row in rows}
    assert list(by_key) == ["arxiv:1512.03385", "title:gan の論文", "title:generative adversarial nets"]
    resnet = by_key["arxiv:1512.03385"]
    assert resnet["title"] == "Deep Residual Learning for Image Recognition"  # 2 of 3 mentions
    assert resnet["titles"] == ["Deep Residual Learning for Image Recognition",
                                "Deep residual learning for image recognition"]
    assert resnet["post_ids"] == ["a", "b", "c"] and resnet["mentions"] == 3
    assert (resnet["authors"], resnet["venue"], resnet["year"]) == (["Kaiming He"], "CVPR", 2016)
    gan = by_key["title:gan の論文"]
    assert gan["arxiv_id"] is None and gan["post_ids"] == ["c", "d"]
    assert gan["title"] == "GAN の論文!"  # one mention each: the longer spelling wins
    assert gan["titles"] == ["GAN の論文!", "ＧＡＮ　の論文"]
    assert normalized_title("  Attention—Is ALL you need?! ") == "attention is all you need"


def test_ambiguous_title_follows_the_majority_pairing() -> None:
    rows = paper_index([
        _record("a", Paper(title="Scaling Laws for Neural Language Models", arxiv_id="2001.08361")),
        _record("b", Paper(title="Scaling Laws for Neural Language Models", arxiv_id="2001.08361")),
        _record("c", Paper(title="Scaling laws for neural language models", arxiv_id="2203.15556")),
        _record("d", Paper(title="Scaling Laws for Neural Language Models")),
    ])
    by_key = {row["key"]: row for row in rows}
    assert by_key["arxiv:2001.08361"]["post_ids"] == ["a", "b", "d"]
    assert by_key["arxiv:2203.15556"]["post_ids"] == ["c"]


def test_snapshot_beats_a_local_copy_of_the_same_post(raw: RawTree, curated: Path) -> None:
    raw.local("samples/saved_item.json", qiita_item(QIITA_BODY_V2, "2024-04-20T09:00:00+09:00"))
    meta = raw.qiita()  # fetched: has fetched_at, so it is newer than any local file
    report = curate(raw.root, curated)
    record = records_by_id(curated)[QIITA_KEY]
    assert record["source_path"] == f"raw/{meta.path}"
    assert "1810.04805" not in record["arxiv_ids"]
    assert report.records == 1 and report.superseded == 1
    [error] = read_jsonl(curated / "errors.jsonl")
    assert (error["stage"], error["error"]) == ("upsert", "Superseded")
    assert error["source_path"] == "raw/samples/saved_item.json"
    assert f"raw/{meta.path}" in error["message"]


def test_two_local_copies_keep_the_greater_source_path(raw: RawTree, curated: Path) -> None:
    raw.local("samples/b/item.json", qiita_item(QIITA_BODY_V2, "2024-04-20T09:00:00+09:00"))
    raw.local("samples/a/item.json", qiita_item(QIITA_BODY_V2.replace("追記", "補足"), "2024-04-20T09:00:00+09:00"))
    curate(raw.root, curated)
    assert records_by_id(curated)[QIITA_KEY]["source_path"] == "raw/samples/b/item.json"
    assert json.loads((curated / "manifest.json").read_text("utf-8"))["counts"]["errors_by_stage"] == {"upsert": 1}


def test_reviews_and_citations_are_counted_apart() -> None:
    reviewed = Paper(title="Denoising Diffusion Probabilistic Models", arxiv_id="2006.11239", role="reviewed")
    cited = Paper(title="Denoising Diffusion Probabilistic Models", arxiv_id="2006.11239")
    rows = paper_index([_record("a", reviewed), _record("b", cited), _record("c", cited)])
    [row] = rows
    assert (row["mentions"], row["reviews"], row["citations"]) == (3, 1, 2)
