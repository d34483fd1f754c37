"""Backfill, incremental and resumed runs of each source against the loopback fixture site, then curate."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from notepipe.config import Config
from notepipe.curate import curate
from notepipe.raw_store import RawStore
from notepipe.sources import scrape, sync_source
from tests.fetch.helpers import BLOG, REPO, USER, curated_rows, outputs, snapshots
from tests.site import FixtureSite, Status


def _records(config: Config) -> dict[str, dict[str, object]]:
    return {row["id"]: row for row in curated_rows(config)}


def test_backfill_of_each_source_lands_records(site: FixtureSite, config: Config) -> None:
    reports = {r.kind: r for r in scrape(config, full=True)}
    assert (reports["qiita"].new, reports["qiita"].failed) == (5, 0)
    assert reports["qiita"].requests == 3  # 5 items, 2 per page
    assert (reports["hatena"].new, reports["hatena"].skipped, reports["hatena"].failed) == (4, 1, 0)
    assert reports["github"].new == 3  # markdown under reviews/ only: no README, no png, no .py
    assert site.count(r"/entry/drafts/") == 0, "robots.txt disallows drafts: never requested"
    assert site.count(r"/raw/.*(README|fig1|tool\.py)") == 0
    report = curate(config.raw_dir, config.curated_dir)
    assert report.errors == 0
    records = _records(config)
    assert len(records) == 12
    assert {r["source"] for r in records.values()} == {"qiita", "hatena", "github"}
    clip = records[f"github:{REPO}/reviews/日本語/clip.md"]
    assert clip["source"] == "github" and clip["lang"] == "ja" and clip["author"] == "ko-reader"
    assert "2103.00020" in clip["arxiv_ids"]
    entry = records[f"hatena:{BLOG}/entry/2025/02/03/210000"]
    assert entry["title"] == "【論文メモ】Denoising Diffusion Probabilistic Models"
    assert entry["fetched_at"] and entry["source_path"].startswith("raw/hatena/")
    qiita = records["qiita:c3a1f0e9b27d4e8a5f61"]
    assert qiita["author"] == USER and "1706.03762" in qiita["arxiv_ids"]
    assert "likes_count" not in RawStore(config.raw_dir).read(next(
        m for m in RawStore(config.raw_dir).snapshots() if m.key == "qiita:c3a1f0e9b27d4e8a5f61")).decode()


def test_unchanged_second_run_costs_one_request_per_source(site: FixtureSite, config: Config) -> None:
    scrape(config, full=True)
    curate(config.raw_dir, config.curated_dir)
    files, before, seen = snapshots(config), outputs(config), len(site.requests)
    reports = scrape(config)
    assert [(r.status, r.requests) for r in reports] == [("unchanged", 1)] * 3
    new_requests = site.requests[seen:]
    assert len(new_requests) == 3 and all("if-none-match" in r.headers for r in new_requests)
    assert snapshots(config) == files
    again = curate(config.raw_dir, config.curated_dir)
    assert again.processed == 0 and again.reused == again.inputs
    assert outputs(config) == before


def test_updated_posts_make_new_raw_versions_and_updated_records(site: FixtureSite, config: Config) -> None:
    scrape(config, full=True)
    curate(config.raw_dir, config.curated_dir)
    old_files = snapshots(config)
    site.update_qiita_item("8e4b2d07f1c9a3365b10", body="RoBERTa の節を書き直した。 https://arxiv.org/abs/1907.11692")
    site.update_hatena_entry(BLOG, "/entry/2025/01/20/083000", title="Chain-of-Thought 再読")
    site.update_github_file(REPO, "reviews/2025-02-lora.md", "# LoRA 다시 읽기\n\n랭크를 바꿔 보았다. arXiv:2106.09685\n")
    reports = {r.kind: r for r in scrape(config)}
    assert {k: (r.updated, r.new, r.failed) for k, r in reports.items()} == {
        "qiita": (1, 0, 0), "hatena": (1, 0, 0), "github": (1, 0, 0)}
    assert reports["github"].requests == 2  # the tree, then only the changed blob
    files = snapshots(config)
    assert set(old_files) < set(files) and len(files) == len(old_files) + 3, "old versions stay; one new each"
    report = curate(config.raw_dir, config.curated_dir)
    assert report.processed == 3
    records = _records(config)
    assert "RoBERTa の節を書き直した" in records["qiita:8e4b2d07f1c9a3365b10"]["text"]
    assert records[f"hatena:{BLOG}/entry/2025/01/20/083000"]["title"] == "Chain-of-Thought 再読"
    assert records[f"github:{REPO}/reviews/2025-02-lora.md"]["title"] == "LoRA 다시 읽기"


def test_new_post_is_found_by_an_incremental_run(site: FixtureSite, config: Config) -> None:
    scrape(config, full=True)
    new_id = site.add_qiita_item(USER, title="Mamba を読む", body="状態空間モデル。 https://arxiv.org/abs/2312.00752")
    qiita = sync_source(config.sources[0], config)
    # Page 1 had news, so page 2 is read too; it holds nothing new, so page 3 is not.
    assert (qiita.new, qiita.unchanged, qiita.requests) == (1, 3, 2)
    curate(config.raw_dir, config.curated_dir)
    assert "2312.00752" in _records(config)[f"qiita:{new_id}"]["arxiv_ids"]


def test_interrupted_backfill_resumes_without_duplicates(site: FixtureSite, config: Config) -> None:
    qiita = config.sources[0]
    site.fail(r"/users/mlnotes_ja/items\?page=3", *[Status(503)] * 5)  # more than the client's retries
    first = sync_source(qiita, config, full=True)
    assert first.status == "unreachable" and first.new == 4  # 503 after every retry
    assert RawStore(config.raw_dir).load_state(qiita.name)["cursor"].endswith("page=3&per_page=2")
    seen = len(site.requests)
    second = sync_source(qiita, config, full=True)
    assert second.status == "ok" and (second.new, second.unchanged) == (1, 0)
    assert "page=3" in site.requests[seen].path, "resumes at the saved cursor, not page 1"
    assert len([p for p in snapshots(config) if "/qiita/" in p.as_posix()]) == 5
    assert "cursor" not in RawStore(config.raw_dir).load_state(qiita.name)
    # The list ETag adopted at the end is page 1's from the interrupted run: the next run is one 304.
    third = sync_source(qiita, config)
    assert (third.status, third.requests) == ("unchanged", 1)


def test_rate_limit_pauses_with_the_resume_point_saved(site: FixtureSite, config: Config) -> None:
    qiita = config.sources[0]
    site.set_rate(remaining=2, reset_in_s=3600)
    report = sync_source(qiita, config, full=True)
    assert report.status == "paused" and "resume" in report.message
    assert report.new == 4 and report.requests == 2
    state = RawStore(config.raw_dir).load_state(qiita.name)
    assert state["cursor"].endswith("page=3&per_page=2")
    site.set_rate(remaining=60, reset_in_s=3600)
    done = sync_source(qiita, config, full=True)
    assert (done.status, done.new, done.requests) == ("ok", 1, 1)


def test_unknown_user_and_repo_fail_clearly_and_the_rest_goes_on(site: FixtureSite, config: Config) -> None:
    bad = config.model_copy(update={"sources": [
        config.sources[0].model_copy(update={"user": "nobody_here"}),
        config.sources[2].model_copy(update={"repo": "ko-reader/missing"}),
        config.sources[1],
    ]})
    reports = scrape(bad, full=True)
    assert [r.status for r in reports] == ["failed", "failed", "ok"]
    assert "404" in reports[0].message and "check the user" in reports[0].message
    assert reports[2].new == 4
    runs = list(Path(config.raw_dir, "_state", "runs").glob("*.json"))
    assert len(runs) == 1 and "nobody_here" in runs[0].read_text(encoding="utf-8")


def test_github_first_run_logs_progress_while_it_fetches(site: FixtureSite, config: Config,
                                                        monkeypatch: pytest.MonkeyPatch,
                                                        caplog: pytest.LogCaptureFixture) -> None:
    """A first run of a repository fetches one file per request: progress lines come while it runs, not once at
    the end (a repository of two thousand notes is half an hour at the default rate)."""
    import notepipe.sources.github as github_source

    monkeypatch.setattr(github_source, "_PROGRESS_EVERY", 1)
    caplog.set_level(logging.INFO)
    reports = {r.kind: r for r in scrape(config, full=True)}
    assert reports["github"].new == 3
    lines = [r.getMessage() for r in caplog.records if "files" in r.getMessage() and "tree of" in r.getMessage()]
    assert [line.split("tree of ")[1].split(":")[0].split(", ")[1] for line in lines] == [
        "1 of 3 files", "2 of 3 files", "3 of 3 files"]
