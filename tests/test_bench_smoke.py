"""The benchmark runs end to end on a tiny corpus (CI smoke test: no timing assertions)."""

from __future__ import annotations

import json
import numbers
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _numbers(obj: object) -> list[float]:
    if isinstance(obj, bool):
        return []
    if isinstance(obj, numbers.Number):
        return [float(obj)]  # type: ignore[arg-type]
    if isinstance(obj, dict):
        return [n for v in obj.values() for n in _numbers(v)]
    return []


def test_bench_tiny(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "run.py"), "--tiny", "--sections", "limit,peer,memory",
         "--out", str(out), "--work", str(tmp_path / "work")],
        capture_output=True, text=True, timeout=120, cwd=ROOT, check=False,
    )
    assert proc.returncode == 0, proc.stderr
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["corpus"]["bytes"] > 100_000
    assert set(report["sections"]) == {"limit", "peer", "memory"}
    limit, peer, memory = (report["sections"][k] for k in ("limit", "peer", "memory"))
    assert limit["records"] > 0 and limit["ratio"] == limit["wakati"]["ratio"] > 0
    for style in ("wakati", "objects"):
        assert limit[style]["bare_chars_per_s"] > 0
    for lang in ("bare_ja", "bare_ko"):  # both call styles read the same segments and cut them the same way
        assert limit["wakati"][lang]["chars"] == limit["objects"][lang]["chars"] > 0
        assert limit["wakati"][lang]["tokens"] == limit["objects"][lang]["tokens"] > 0
    assert memory["small"]["peak_rss_mb"] > 0 and memory["large"]["peak_rss_mb"] > 0 and memory["growth"] > 0
    if "skipped" in peer:  # trafilatura is an optional extra
        assert "trafilatura" in peer["skipped"]
    else:
        assert peer["pages"] > 0 and peer["ratio"] > 0
    for section in report["sections"].values():
        assert _numbers(section)
    assert "limit: normalize / bare, wakati (the fastest call)" in proc.stdout
