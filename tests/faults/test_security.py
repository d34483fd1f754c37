"""Hostile ids and paths from the network: refused or encoded, never a file outside raw/ or curated/."""

from __future__ import annotations

import json
from pathlib import Path

from notepipe.config import Config
from notepipe.curate import curate
from notepipe.sources import sync_source
from tests.site import Body, FixtureSite

HOSTILE_IDS = ["../../etc/passwd", "/etc/passwd", "a\x00b", "x" * 300, "ｃ３ａ１", "..", "id with space"]


def _inside(root: Path, tmp_path: Path) -> None:
    for path in tmp_path.rglob("*"):
        assert path.resolve().is_relative_to(tmp_path.resolve())
    assert not (tmp_path.parent / "etc").exists()


def test_hostile_qiita_ids_are_refused_one_by_one(site: FixtureSite, config: Config, tmp_path: Path) -> None:
    good = {"id": "0123456789abcdef0123", "title": "正常な記事", "body": "本文です。arXiv:1706.03762",
            "url": "https://qiita.com/u/items/0123456789abcdef0123", "updated_at": "2025-01-01T00:00:00+09:00",
            "created_at": "2025-01-01T00:00:00+09:00", "tags": [], "user": {"id": "u", "name": "U"}}
    items = [{**good, "id": bad} for bad in HOSTILE_IDS] + [good]
    site.fail(r"items\?page=1", Body(json.dumps(items).encode(), "application/json"))
    report = sync_source(config.sources[0].model_copy(update={"per_page": 100}), config, full=True)
    assert (report.new, report.failed) == (1, len(HOSTILE_IDS))
    assert all("without a valid id" in e.message for e in report.errors)
    curate(config.raw_dir, config.curated_dir)
    _inside(Path(config.raw_dir), tmp_path)
    shard = Path(config.curated_dir, "records", "qiita.jsonl").read_text(encoding="utf-8")
    assert [json.loads(line)["id"] for line in shard.splitlines()] == ["qiita:0123456789abcdef0123"]


def test_hostile_github_tree_paths_are_never_fetched(site: FixtureSite, config: Config, tmp_path: Path) -> None:
    blob = {"mode": "100644", "type": "blob", "sha": "0" * 40, "size": 1}
    paths = ["reviews/../../../etc/passwd.md", "/reviews/abs.md", "reviews//double.md", "reviews/./dot.md",
             "reviews/back\\slash.md", "reviews/nul\x00.md"]
    tree = {"sha": "1" * 40, "truncated": False, "tree": [{**blob, "path": p} for p in paths]}
    site.fail(r"/git/trees/", Body(json.dumps(tree).encode(), "application/json"))
    report = sync_source(config.sources[2], config, full=True)
    assert (report.new, report.failed, report.status) == (0, 0, "unchanged")
    assert site.count("/github/raw/") == 0
    _inside(Path(config.raw_dir), tmp_path)


def test_unicode_lookalike_and_long_paths_stay_inside_raw(site: FixtureSite, config: Config, tmp_path: Path) -> None:
    repo = "ko-reader/paper-notes"
    site.add_github_file(repo, "reviews/．．／．．／lookalike.md", "# 비슷한 이름\n\n본문.\n")
    site.add_github_file(repo, "reviews/" + "긴이름" * 60 + ".md", "# 긴 이름\n\n본문.\n")
    report = sync_source(config.sources[2], config, full=True)
    assert (report.new, report.failed) == (5, 0)
    curate(config.raw_dir, config.curated_dir)
    _inside(Path(config.raw_dir), tmp_path)
    names = [p.name for p in Path(config.raw_dir).rglob("*")]
    assert all(name.isascii() and len(name) <= 120 for name in names)
    ids = [json.loads(line)["id"] for line in
           Path(config.curated_dir, "records", "github.jsonl").read_text(encoding="utf-8").splitlines()]
    assert f"github:{repo}/reviews/．．／．．／lookalike.md" in ids  # the id keeps the name as GitHub has it
