"""The scheduled path, end to end: `prefect server start`, `python -m flows.serve` on a one-minute cron, and a
scheduled scrape (then curate) that writes curated/. Slow (about two minutes): run with `pytest -m slow`."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait(check: Callable[[], bool], seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(1)
    pytest.fail(f"timed out after {seconds:.0f} s waiting for {what}")


def _healthy(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=2) as resp:  # the local test server only
            return bool(resp.status == 200)
    except OSError:
        return False


@pytest.mark.slow
def test_served_schedule_runs_scrape_and_curate(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PREFECT_HOME": str(tmp_path / "prefect"), "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
           "DO_NOT_TRACK": "1", "PREFECT_API_URL": f"http://127.0.0.1:{port}/api"}
    (tmp_path / "raw").mkdir()
    shutil.copytree(ROOT / "raw" / "samples", tmp_path / "raw" / "samples")
    config = tmp_path / "notepipe.toml"
    config.write_text('raw_dir = "raw"\ncurated_dir = "curated"\n', encoding="utf-8")
    prefect = str(Path(sys.executable).with_name("prefect"))
    server = subprocess.Popen([prefect, "server", "start", "--port", str(port)], env=env, cwd=tmp_path,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    served = None
    try:
        _wait(lambda: _healthy(f"http://127.0.0.1:{port}/api/health"), 180, "prefect server start")
        served = subprocess.Popen([sys.executable, "-m", "flows.serve", "--config", str(config), "--cron",
                                   "* * * * *"], env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                  stderr=subprocess.DEVNULL)
        _wait((tmp_path / "curated" / "manifest.json").exists, 240, "a scheduled scrape to curate")
    finally:
        for proc in (served, server):
            if proc is not None:
                proc.terminate()
                proc.wait(timeout=30)
    records = sorted((tmp_path / "curated" / "records").glob("*.jsonl"))
    assert sum(p.read_text(encoding="utf-8").count("\n") for p in records) == 6
