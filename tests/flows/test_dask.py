"""The curate flow on a Dask runner with worker processes (and on a warm running cluster) writes exactly what
plain curate writes, against `prefect server start` and with Prefect's temporary server. Slow: `pytest -m slow`."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from notepipe.config import Config
from notepipe.curate import curate
from tests.fetch.helpers import outputs

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


@pytest.mark.slow
def test_dask_worker_processes_work_with_the_temporary_server(tmp_path: Path) -> None:
    """No PREFECT_API_URL: the workers run plain Dask tasks and import no Prefect, so none of them starts a
    temporary server of its own on the flow's SQLite file (which is what failed task runs on worker processes)."""
    shutil.copytree(ROOT / "raw" / "samples", tmp_path / "raw" / "samples")
    toml = tmp_path / "notepipe.toml"
    toml.write_text(f'raw_dir = "{tmp_path / "raw"}"\ncurated_dir = "{tmp_path / "flow" / "curated"}"\n',
                    encoding="utf-8")
    env = {key: value for key, value in os.environ.items() if not key.startswith("PREFECT_")}
    env["PREFECT_HOME"] = str(tmp_path / "prefect-home")
    done = subprocess.run([sys.executable, "-m", "flows.curate", "--runner", "dask", "--workers", "2",
                           "--config", str(toml)], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
                          check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    posts = len(list((tmp_path / "raw" / "samples").iterdir()))
    assert f"batch 1/1 done ({posts} posts)" in done.stderr
    curate(tmp_path / "raw", tmp_path / "plain" / "curated")
    flow_files, plain_files = (outputs(Config(raw_dir=tmp_path / "raw", curated_dir=tmp_path / name / "curated"))
                               for name in ("flow", "plain"))
    assert "manifest.json" in flow_files and flow_files == plain_files
