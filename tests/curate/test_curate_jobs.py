"""`curate(jobs=N)` / `notepipe curate --jobs N`: worker processes write the same bytes, and a dead worker loses
nothing. The workers are real spawned processes (no mocks): these tests cost a few seconds each."""

from __future__ import annotations

import logging
import os
from pathlib import Path

import pytest
from rawtree import QIITA_BODY_V1, RawTree, snapshot_bytes

from notepipe.cli import main
from notepipe.curate import WorkItem, _run, curate, process

# Short notes in our own words, Japanese and Korean, each naming a paper (some by arXiv ID only).
_JA = "# {n} 本目の論文メモ\n\n今日は {title} を読んだ。arXiv:{arxiv} の実験が丁寧で、再現もしやすそうだ。\n"
_KO = "# 논문 메모 {n}\n\n오늘은 {title} 을 읽었다. arXiv:{arxiv} 의 실험 설정이 꼼꼼해서 따라 하기 쉬웠다.\n"
_TITLES = ["Attention Is All You Need", "Deep Residual Learning for Image Recognition",
           "Language Models are Few-Shot Learners", "Denoising Diffusion Probabilistic Models"]
_IDS = ["1706.03762", "1512.03385", "2005.14165", "2006.11239"]
POSTS = 48  # above MIN_PARALLEL, so the pool is used


def many_posts(raw: RawTree) -> None:
    for n in range(POSTS):
        text = (_KO if n % 3 == 0 else _JA).format(n=n, title=_TITLES[n % 4], arxiv=_IDS[(n + 1) % 4])
        raw.local(f"notes/{'ko' if n % 3 == 0 else 'ja'}-{n:03d}.md", text.encode("utf-8"))
    raw.qiita(QIITA_BODY_V1)  # and one snapshot with its sidecar


def dies_on_korean(items: list[WorkItem], raw_dir: str, curated_dir: str) -> int:
    """A worker that processes half a batch and then dies, as an out-of-memory kill would, on Korean notes."""
    for item in items:
        if "/ko-" in item.rel:
            os._exit(9)
        process(item, raw_dir, curated_dir)
    return 0


def test_worker_processes_write_the_same_bytes(raw: RawTree, tmp_path: Path) -> None:
    assert POSTS >= _run.MIN_PARALLEL
    many_posts(raw)
    serial, parallel = tmp_path / "serial" / "curated", tmp_path / "parallel" / "curated"
    one = curate(raw.root, serial)
    calls: list[tuple[int, int]] = []
    two = curate(raw.root, parallel, jobs=2, progress=lambda done, total: calls.append((done, total)))
    assert snapshot_bytes(parallel) == snapshot_bytes(serial)
    assert (two.processed, two.records, two.errors, two.papers) == (one.processed, one.records, one.errors, one.papers)
    assert two.processed == POSTS + 1 and two.by_lang.keys() >= {"ja", "ko"}
    assert calls[0] == (0, POSTS + 1) and calls[-1] == (POSTS + 1, POSTS + 1)
    assert [done for done, _ in calls] == sorted(done for done, _ in calls) and len(calls) > 3  # it moves
    again = curate(raw.root, parallel, jobs=2)  # nothing to do: the pool is not even started
    assert (again.processed, again.reused) == (0, POSTS + 1) and snapshot_bytes(parallel) == snapshot_bytes(serial)


def test_a_worker_that_dies_loses_nothing(raw: RawTree, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                          caplog: pytest.LogCaptureFixture) -> None:
    many_posts(raw)
    serial, parallel = tmp_path / "serial" / "curated", tmp_path / "parallel" / "curated"
    curate(raw.root, serial)
    monkeypatch.setattr(_run, "_process_batch", dies_on_korean)  # pickled by name: the workers import this module
    with caplog.at_level(logging.WARNING, logger="notepipe.curate._run"):
        report = curate(raw.root, parallel, jobs=2)
    assert "a worker process died" in caplog.text and "building the" in caplog.text
    assert report.processed == POSTS + 1 and report.errors == 0
    assert snapshot_bytes(parallel) == snapshot_bytes(serial)


def test_a_negative_number_of_jobs_is_refused(raw: RawTree, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(ValueError, match="jobs=-1"):
        curate(raw.root, tmp_path / "curated", jobs=-1)
    for bad in ("-1", "two"):
        with pytest.raises(SystemExit) as exit_info:
            main(["curate", "--jobs", bad])
        assert exit_info.value.code == 2
        assert f"'{bad}' is not a number of processes" in capsys.readouterr().err
