"""Process faults: kill -9 mid-fetch and mid-curate, two runs at once, a full disk; then re-runs that lose and
duplicate nothing and leave curated/ byte-identical to an uninterrupted run."""

from __future__ import annotations

import errno
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from notepipe import _atomic
from notepipe.cli import main
from notepipe.config import Config
from notepipe.raw_store import RawStore
from notepipe.sources import scrape
from tests.fetch.helpers import curated_rows, outputs, site_config, snapshots, write_config
from tests.site import FixtureSite, Slow

ROOT = Path(__file__).resolve().parents[2]
CLI = [sys.executable, "-m", "notepipe.cli"]


def _records(config: Config, drop: tuple[str, ...] = ()) -> dict[str, dict[str, object]]:
    out: dict[str, dict[str, object]] = {}
    for row in curated_rows(config):
        assert row["id"] not in out, f"duplicate id {row['id']}"
        out[row["id"]] = {k: v for k, v in row.items() if k not in drop}
    return out


def _consistent(raw_dir: Path) -> None:
    """Every committed snapshot is whole (its bytes hash to its sidecar's sha256); every state file parses."""
    store = RawStore(raw_dir)
    for meta in store.snapshots():
        assert _sha(store.read(meta)) == meta.sha256, f"partial or altered snapshot {meta.path}"
    for state in (raw_dir / "_state").glob("*.json"):
        json.loads(state.read_text(encoding="utf-8"))


def _sha(data: bytes) -> str:
    import hashlib

    return hashlib.sha256(data).hexdigest()


def _kill_at(argv: list[str], seconds: float) -> int:
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(seconds)
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
    return proc.wait(timeout=30)


def _kill_when(argv: list[str], ready: Callable[[], bool], timeout: float = 60) -> int:
    """Start `argv`, SIGKILL it as soon as `ready()` holds (a point of progress, not a guess of time)."""
    proc = subprocess.Popen(argv, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + timeout
    while proc.poll() is None and time.monotonic() < deadline:
        if ready():
            proc.send_signal(signal.SIGKILL)
            break
        time.sleep(0.002)
    return proc.wait(timeout=30)


def _temp_files(root: Path) -> list[Path]:
    return list(root.rglob(".*.tmp"))


def test_kill_9_during_fetch_then_rerun(site: FixtureSite, tmp_path: Path) -> None:
    site.fail(r"items\?page=|/entry/2|/github/raw/", *[Slow(0.15)] * 60)  # stretch the run so kills land inside
    config = site_config(site, tmp_path)
    path = write_config(config, tmp_path / "notepipe.toml")
    rng = random.Random(4)  # random kill points, the same on every test run
    codes = []
    for _ in range(3):
        codes.append(_kill_at([*CLI, "run", "--full", "--config", path, "-q"], rng.uniform(0.4, 1.6)))
        _consistent(config.raw_dir)
    assert -signal.SIGKILL in codes, "at least one kill must land mid-run"
    assert main(["run", "--full", "--config", path, "-q"]) == 0
    assert _temp_files(Path(config.raw_dir)) == [] and _temp_files(Path(config.curated_dir)) == []
    _consistent(config.raw_dir)
    assert len(snapshots(config)) == 12, "one snapshot per post version: none lost, none twice"
    clean = site_config(site, tmp_path / "uninterrupted")
    scrape(clean, full=True)
    assert main(["curate", "--config", write_config(clean, tmp_path / "clean.toml"), "-q"]) == 0
    # Same posts and same records; only the fetch times differ between the two raw/ folders.
    assert _records(config, drop=("fetched_at",)) == _records(clean, drop=("fetched_at",))


def _big_raw(tmp_path: Path, copies: int) -> Path:
    raw = tmp_path / "raw"
    for i in range(copies):
        shutil.copytree(ROOT / "raw" / "samples", raw / f"batch{i:03d}")
    return raw


def test_kill_9_during_curate_then_rerun_is_byte_identical(tmp_path: Path) -> None:
    raw = _big_raw(tmp_path, 40)
    interrupted = Config(raw_dir=raw, curated_dir=tmp_path / "a" / "curated")
    reference = Config(raw_dir=raw, curated_dir=tmp_path / "b" / "curated")
    path = write_config(interrupted, tmp_path / "a.toml")
    cache = Path(interrupted.curated_dir) / ".cache"
    shards = Path(interrupted.curated_dir) / "records"
    inputs = sum(1 for p in raw.rglob("*") if p.is_file())

    def entries() -> int:
        return sum(1 for _ in cache.rglob("*.jsonl")) if cache.is_dir() else 0

    rng = random.Random(9)  # kill points: after a random number of cache entries (twice), then mid-assemble
    points = [rng.randrange(1, inputs // 2), rng.randrange(inputs // 2, inputs - 1)]
    codes = [_kill_when([*CLI, "curate", "--config", path, "-q"], lambda n=n: entries() > n) for n in points]
    codes.append(_kill_when([*CLI, "curate", "--config", path, "-q"],
                            lambda: shards.is_dir() and any(shards.iterdir())))
    assert codes[:2] == [-signal.SIGKILL] * 2, "the kills during processing must land mid-run"
    assert main(["curate", "--config", path, "-q"]) == 0
    assert main(["curate", "--config", write_config(reference, tmp_path / "b.toml"), "-q"]) == 0
    assert _temp_files(tmp_path / "a") == []
    assert outputs(interrupted) == outputs(reference)


def test_two_runs_at_once_one_refuses_and_nothing_interleaves(tmp_path: Path) -> None:
    raw = _big_raw(tmp_path, 20)
    config = Config(raw_dir=raw, curated_dir=tmp_path / "a" / "curated")
    path = write_config(config, tmp_path / "a.toml")
    procs = [subprocess.Popen([*CLI, "curate", "--config", path, "-q"], cwd=ROOT, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE, text=True) for _ in range(2)]
    results = sorted((p.wait(timeout=120), p.stderr.read() if p.stderr else "") for p in procs)
    for proc in procs:
        if proc.stderr:
            proc.stderr.close()
    assert [code for code, _ in results] == [0, 3]
    assert "another notepipe run is using" in results[1][1]
    reference = Config(raw_dir=raw, curated_dir=tmp_path / "b" / "curated")
    assert main(["curate", "--config", write_config(reference, tmp_path / "b.toml"), "-q"]) == 0
    assert outputs(config) == outputs(reference)


class _DiskFull:
    """`call` (os.fsync: every durable atomic write makes one; tempfile.mkstemp: every atomic write makes one)
    that fails with ENOSPC after `ok` successful calls."""

    def __init__(self, ok: int, call: Callable[..., Any] = os.fsync) -> None:
        self.ok = ok
        self.call = call

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        if self.ok <= 0:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        self.ok -= 1
        return self.call(*args, **kwargs)


def test_disk_full_during_fetch_loses_nothing(site: FixtureSite, config: Config,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(_atomic.os, "fsync", _DiskFull(ok=7))
    reports = scrape(config, full=True)
    assert any(r.status == "failed" and "No space left" in r.message for r in reports)
    monkeypatch.undo()
    _consistent(config.raw_dir)
    assert _temp_files(Path(config.raw_dir)) == []
    scrape(config, full=True)
    assert len(snapshots(config)) == 12


def test_disk_full_during_curate_keeps_the_previous_output(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                           capsys: pytest.CaptureFixture[str]) -> None:
    raw = _big_raw(tmp_path, 2)
    config = Config(raw_dir=raw, curated_dir=tmp_path / "a" / "curated")
    path = write_config(config, tmp_path / "a.toml")
    assert main(["curate", "--config", path, "-q"]) == 0
    before = outputs(config)
    shutil.copytree(ROOT / "raw" / "samples", raw / "later")  # new input: the next curate rewrites outputs
    monkeypatch.setattr(_atomic.os, "fsync", _DiskFull(ok=3))
    assert main(["curate", "--config", path, "-q"]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert outputs(config) == before, "a failed write never replaces a good file"
    monkeypatch.undo()
    assert main(["curate", "--config", path, "-q"]) == 0
    reference = Config(raw_dir=raw, curated_dir=tmp_path / "b" / "curated")
    assert main(["curate", "--config", write_config(reference, tmp_path / "b.toml"), "-q"]) == 0
    assert outputs(config) == outputs(reference)


def test_disk_full_while_writing_cache_entries_keeps_the_previous_output(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """Cache entries are written without fsync, so a full disk shows when their files are created: the run stops
    with the reason, curated/ keeps its last good output, no temporary file is left, and the next run finishes."""
    raw = _big_raw(tmp_path, 2)
    config = Config(raw_dir=raw, curated_dir=tmp_path / "a" / "curated")
    path = write_config(config, tmp_path / "a.toml")
    assert main(["curate", "--config", path, "-q"]) == 0
    before = outputs(config)
    shutil.copytree(ROOT / "raw" / "samples", raw / "later")
    monkeypatch.setattr(_atomic.tempfile, "mkstemp", _DiskFull(ok=2, call=tempfile.mkstemp))
    assert main(["curate", "--config", path, "-q"]) == 1
    assert "No space left on device" in capsys.readouterr().err
    assert outputs(config) == before
    assert _temp_files(Path(config.curated_dir)) == []
    monkeypatch.undo()
    assert main(["curate", "--config", path, "-q"]) == 0
    reference = Config(raw_dir=raw, curated_dir=tmp_path / "b" / "curated")
    assert main(["curate", "--config", write_config(reference, tmp_path / "b.toml"), "-q"]) == 0
    assert outputs(config) == outputs(reference)
