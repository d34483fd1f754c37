"""The benchmark runs end to end on a tiny corpus (CI smoke test: no timing assertions)."""

from __future__ import annotations

import json
import numbers
import subprocess
import sys
from pathlib import Path

from benchmarks.run import _rows

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
    assert limit["normalize_without_analyzers_s"] > 0
    for style in ("wakati", "objects"):
        assert limit[style]["bare_chars_per_s"] > 0
        assert 0 < limit[style]["ceiling"] < 1
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
    assert "limit: ceiling, analyzer calls at bare wakati speed" in proc.stdout


def _table(name: str, result: dict[str, object]) -> dict[str, tuple[str, str]]:
    """The printed rows of one section's result: metric → (value, ok)."""
    return {metric: (value, ok) for metric, value, _goal, ok in _rows({name: result})}


def _scaleout(default_s: float, dask_s: float, warm_s: float, **extra: object) -> dict[str, object]:
    """A scaleout result as benchmarks/scaleout.py writes it (its slow test runs the real thing)."""
    def mode(call_s: float, process_s: float) -> dict[str, object]:
        return {"call_s": call_s, "phases": {"process_s": process_s}}

    return {"files": 1611, "input_mb": 20.01, "default": mode(default_s, default_s - 1.5),
            "dask": mode(dask_s, dask_s - 1.5), "dask-warm": mode(warm_s, warm_s - 1.0),
            "speedup_dask_vs_default": round(default_s / dask_s, 2),
            "speedup_warm_dask_vs_default": round(default_s / warm_s, 2), "speedup_plain_jobs_vs_plain": 1.77,
            "plain-jobs_identical_to_plain": True, "default_identical_to_plain": True,
            "dask_identical_to_plain": True, "dask-warm_identical_to_plain": True, **extra}


def test_scaleout_rows_judge_each_speedup_against_the_goal_and_flag_differing_output() -> None:
    rows = _table("scaleout", _scaleout(10.0, 7.7, 5.5))
    assert rows["scaleout: Dask vs default runner, cluster started by the flow"] == ("1.30x", "MISS")
    assert rows["scaleout: Dask vs default runner, warm cluster"] == ("1.82x", "ok")
    assert rows["scaleout: same, processing phase only, warm cluster"] == ("1.89x", "")  # 8.5 s / 4.5 s
    assert rows["scaleout: every run byte-identical to plain curate"] == ("yes", "ok")

    differing = _scaleout(10.0, 5.0, 5.0, dask_identical_to_plain=False, dask_differing_files=["papers.jsonl"])
    rows = _table("scaleout", differing)
    assert rows["scaleout: every run byte-identical to plain curate"] == ("NO", "MISS")


def test_incremental_rows_judge_the_unchanged_run() -> None:
    def result(requests: dict[str, int], reprocessed: int, met: bool) -> dict[str, object]:
        """Shaped as benchmarks/incremental.py writes it, with its own judgment of both goals."""
        return {"rate_per_s": 1.0, "cli_beyond_startup_s": 2.09, "cli_fast_beyond_startup_s": 0.07,
                "unchanged": {"requests_per_source": requests, "reprocessed_posts": reprocessed},
                "goals": {"one_request_per_source": met, "zero_reprocessed": met}}

    rows = _table("incremental", result({"qiita:a": 1, "hatena:b": 1}, 0, met=True))
    assert rows["incremental: unchanged run, most requests to one source"] == ("1", "ok")
    assert rows["incremental: unchanged run, posts re-processed"] == ("0", "ok")
    rows = _table("incremental", result({"qiita:a": 1, "hatena:b": 3}, 2, met=False))
    assert rows["incremental: unchanged run, most requests to one source"] == ("3", "MISS")
    assert rows["incremental: unchanged run, posts re-processed"] == ("2", "MISS")


def test_resolve_bench_tiny() -> None:
    proc = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "resolve.py"), "scale", "--ids", "60",
                           "--titles", "25"], capture_output=True, text=True, timeout=120, cwd=ROOT, check=False)
    assert proc.returncode == 0, proc.stderr
    report = json.loads(proc.stdout)
    fast = report["fast"]
    assert fast["requests"] == 1 + 25 and fast["incremental_requests"] == 0
    assert {r["source"]: r["new"] for r in fast["reports"]} == {"resolve:arxiv": 57, "resolve:openalex": 20}
