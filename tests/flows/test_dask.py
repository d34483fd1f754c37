"""The curate flow on a Dask runner with worker processes (and on a warm running cluster) writes exactly what
plain curate writes. Starts `prefect server start` itself (Dask workers need a real API): slow, `pytest -m slow`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_dask_runners_write_what_plain_curate_writes() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scaleout.py"), "--tiny", "--repeat", "2"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout)
    assert result["files_compared"] >= 8 and result["repeat"] == 2 and "plain_runs_differ" not in result
    for mode in ("plain-jobs", "default", "dask", "dask-warm"):
        assert result[mode]["processed"] == result["plain"]["processed"] > 0
        assert result[mode]["call_s"] in result[mode]["call_s_runs"] and len(result[mode]["call_s_runs"]) == 2
        assert result[mode]["server_cpu_s"] >= 0
        assert result[f"{mode}_identical_to_plain"], result.get(f"{mode}_differing_files")
        if mode == "plain-jobs":  # curate's own process pool: no flow run, no phases
            continue
        phases = result[mode]["phases"]  # read back from the flow run's own records on the server
        assert phases["plan_s"] >= 0 and phases["assemble_s"] > 0 and phases["engine_start_s"] > 0
        assert 0 < phases["process_s"] <= result[mode]["call_s"]
        if mode == "default":  # batches as Prefect task runs; on Dask they are plain Dask tasks, not on the server
            assert phases["batches"] >= 1 and 0 < phases["batches_wall_s"] <= phases["process_s"]
        else:
            assert "batches" not in phases
