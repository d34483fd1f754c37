"""The Prefect flows (scrape, backfill, curate) under a real Prefect API: one test harness for the module."""

from __future__ import annotations

import json
import logging
import os
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from notepipe.config import Config
from notepipe.curate import curate
from tests.fetch.helpers import BLOG, outputs, site_config, write_config
from tests.site import FixtureSite

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def prefect_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """Prefect's temporary server with a fresh database, started once for this module (about 20 s)."""
    home = tmp_path_factory.mktemp("prefect-home")
    os.environ["PREFECT_HOME"] = str(home)  # before flows/ (and so prefect) is first imported
    core = logging.getLogger("notepipe")
    before = (list(core.handlers), core.propagate, core.level)
    import flows  # noqa: F401, I001  (applies the project's Prefect defaults; must precede prefect)
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
    # Prefect gave the core's logger its API handler (PREFECT_LOGGING_EXTRA_LOGGERS): tests that run later in this
    # process log outside any flow run, where that handler warns (an error under our warning filter).
    core.handlers[:], core.propagate = before[0], before[1]
    core.setLevel(before[2])


TOKEN = "qiita-flow-TOKEN-51c0ffee"


def _everything_prefect_kept() -> str:
    """Artifacts, logs, flow-run and task-run records (parameters included) as one string."""
    from prefect.client.orchestration import get_client

    with get_client(sync_client=True) as client:
        parts = [client.read_artifacts(), client.read_logs(), client.read_flow_runs(), client.read_task_runs()]
    return repr(parts)


def _artifact(key: str) -> Any:
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterKey

    with get_client(sync_client=True) as client:
        found = client.read_artifacts(artifact_filter=ArtifactFilter(key=ArtifactFilterKey(any_=[key])))
    return found[0] if found else None


@pytest.mark.usefixtures("prefect_api")
def test_scrape_flow_then_an_unchanged_run(site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from flows.scrape import scrape

    site.qiita_token = TOKEN
    monkeypatch.setenv("QIITA_TOKEN", TOKEN)
    config = site_config(site, tmp_path)
    path = write_config(config, tmp_path / "notepipe.toml")
    reports = scrape(config_path=path, full=True)
    assert [(r["source"].split(":")[0], r["status"]) for r in reports] == [
        ("qiita", "ok"), ("hatena", "ok"), ("github", "ok")]
    assert sum(r["new"] for r in reports) == 5 + 4 + 3  # hatena's robots-disallowed draft is skipped
    flow_output = outputs(config)
    assert flow_output["records/hatena.jsonl"].count(b"\n") == 4
    # The curate flow's output is exactly what the plain-Python curate writes from the same raw/.
    plain_dir = tmp_path / "plain" / "curated"  # same folder name: the card names it
    curate(config.raw_dir, plain_dir)
    assert outputs(config.model_copy(update={"curated_dir": plain_dir})) == flow_output
    from flows.curate import curate as curate_flow

    again = curate_flow(config_path=path)  # nothing new: every post comes from the cache, same bytes
    assert (again["processed"], again["reused"], again["records"]) == (0, 12, 12)
    assert outputs(config) == flow_output
    table = _artifact("fetch-summary")
    assert table is not None and "qiita:mlnotes_ja" in str(table.data)
    assert TOKEN not in _everything_prefect_kept(), "the token reached a Prefect artifact, log or run record"

    seen = len(site.requests)
    again = scrape(config_path=path)
    assert [(r["status"], r["requests"]) for r in again] == [("unchanged", 1)] * 3
    assert len(site.requests) - seen == 3
    assert outputs(config) == flow_output


@pytest.mark.usefixtures("prefect_api")
def test_backfill_flow_of_one_blog(site: FixtureSite, tmp_path: Path) -> None:
    from flows.backfill import backfill

    config = site_config(site, tmp_path).model_copy(update={"sources": []})
    path = write_config(config, tmp_path / "notepipe.toml")
    report = backfill(f"hatena:{BLOG}", [f"base_url={site.hatena_base(BLOG)}"], config_path=path)
    assert (report["status"], report["new"], report["skipped"]) == ("ok", 4, 1)
    assert outputs(config)["records/hatena.jsonl"].count(b"\n") == 4


@pytest.mark.usefixtures("prefect_api")
def test_backfill_flow_resolves_papers_before_curating(site: FixtureSite, tmp_path: Path) -> None:
    from flows.backfill import backfill
    from tests.site.papers import ArxivPaper

    site.arxiv.add(ArxivPaper("1706.03762", "Attention Is All\n  You Need"))
    config = site_config(site, tmp_path, resolve=True).model_copy(update={"sources": []})
    path = write_config(config, tmp_path / "notepipe.toml")
    report = backfill(f"hatena:{BLOG}", [f"base_url={site.hatena_base(BLOG)}"], config_path=path)
    resolved = {r["source"]: r for r in report["resolve"]}  # type: ignore[union-attr]
    assert set(resolved) == {"resolve:arxiv", "resolve:openalex"}
    assert resolved["resolve:arxiv"]["status"] == "ok" and site.arxiv.asked
    table = _artifact("resolve-papers")
    assert table is not None and "resolve:arxiv" in str(table.data)
    plain_dir = tmp_path / "plain" / "curated"  # the flow's curated/ is what plain curate makes of that raw/
    curate(config.raw_dir, plain_dir)
    assert outputs(config.model_copy(update={"curated_dir": plain_dir})) == outputs(config)


def test_batch_sizes_per_worker_within_bounds() -> None:
    from flows.curate import DASK_TASKS_PER_WORKER, MAX_BATCH, MIN_BATCH, pick_batch_size

    assert pick_batch_size(0, 2) == MIN_BATCH and pick_batch_size(20, 2) == MIN_BATCH
    assert pick_batch_size(1_611, 2) == 202  # 8 tasks for 2 workers
    assert pick_batch_size(8_107, 2) == 1_014
    assert pick_batch_size(1_611, 2, DASK_TASKS_PER_WORKER) == 51  # plain Dask tasks: 32 for 2 workers
    assert pick_batch_size(8_107, 0) == 2_027  # a bad worker count never divides by zero
    assert pick_batch_size(1_000_000, 2) == MAX_BATCH  # a retry never redoes more than one bounded batch


# A script that, like `python -m flows.curate`, has Prefect in its main module; it starts one cluster each way.
_MAIN_WITH_PREFECT = """
import json, sys
import flows  # noqa: F401  (and so Prefect, as flows/curate.py imports them)
from distributed import Client, LocalCluster
from flows.curate import local_cluster

def imported():
    return sorted(name for name in ("flows", "prefect") if name in sys.modules)

if __name__ == "__main__":
    main, out = sys.modules["__main__"], {}
    before = (main.__spec__, main.__file__)
    for name, start in (("local_cluster", local_cluster), ("LocalCluster", LocalCluster)):
        with start(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None) as cluster:
            with Client(cluster) as client:
                out[name] = list(client.run(imported).values())
    out["main_restored"] = (main.__spec__, main.__file__) == before
    print(json.dumps(out))
"""


def test_local_cluster_workers_do_not_import_the_main_module(tmp_path: Path) -> None:
    """The flow's own cluster spawns workers that skip the main module (a second of Prefect imports each); a plain
    LocalCluster's workers import it, which is what this guards against."""
    script = tmp_path / "main_with_prefect.py"
    script.write_text(_MAIN_WITH_PREFECT, encoding="utf-8")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PREFECT_HOME": str(tmp_path / "prefect-home")}
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=env, capture_output=True, text=True,
                          timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert json.loads(done.stdout.splitlines()[-1]) == {
        "local_cluster": [[]], "LocalCluster": [["flows", "prefect"]], "main_restored": True}


def _main_spec_and_file() -> tuple[object, object]:
    main = sys.modules["__main__"]
    return main.__spec__, vars(main).get("__file__")


def test_the_main_module_is_hidden_only_inside_the_block() -> None:
    from flows.curate import _main_module_hidden

    main, before = sys.modules["__main__"], _main_spec_and_file()
    with pytest.raises(RuntimeError, match="cluster failed"), _main_module_hidden():
        assert main.__spec__ is None and "__file__" not in vars(main)
        raise RuntimeError("cluster failed to start")
    assert _main_spec_and_file() == before


def test_clusters_started_from_two_threads_hide_the_main_module_one_at_a_time() -> None:
    """Overlapping hidings would each restore what the other hid, leaving the main module without its spec."""
    from flows.curate import _main_module_hidden

    before = _main_spec_and_file()
    first_inside, first_may_leave, second_inside = threading.Event(), threading.Event(), threading.Event()

    def first() -> None:
        with _main_module_hidden():
            first_inside.set()
            first_may_leave.wait(10)

    def second() -> None:
        first_inside.wait(10)
        with _main_module_hidden():
            second_inside.set()

    threads = [threading.Thread(target=first, daemon=True), threading.Thread(target=second, daemon=True)]
    for thread in threads:
        thread.start()
    assert first_inside.wait(10)
    assert not second_inside.wait(0.3)  # it waits for the first to restore the module
    first_may_leave.set()
    for thread in threads:
        thread.join(10)
    assert second_inside.is_set()
    assert _main_spec_and_file() == before


@pytest.mark.usefixtures("prefect_api")
def test_entries_are_read_during_the_batches_only_when_tasks_run_elsewhere() -> None:
    """On the thread runner, reading entries while a batch runs would fight it for the GIL, so the flow waits."""
    from prefect import flow
    from prefect_dask import DaskTaskRunner

    from flows.curate import in_other_processes

    @flow
    def probe() -> bool:
        return in_other_processes()

    assert in_other_processes() is False  # outside any flow run
    assert probe() is False  # the default thread runner
    dask = DaskTaskRunner(cluster_kwargs={"n_workers": 1, "processes": False, "dashboard_address": None})
    assert probe.with_options(task_runner=dask)() is True


@pytest.mark.usefixtures("prefect_api")
def test_curate_flow_on_dask_runs_batches_as_dask_tasks(tmp_path: Path) -> None:
    """On a Dask runner the batches are plain Dask tasks (no Prefect task run each), their progress is logged, and
    curated/ is byte for byte what plain curate writes. An in-process cluster: worker processes are tests/flows/
    test_dask.py's (slow) work."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId, LogFilter, LogFilterFlowRunId
    from prefect.client.schemas.sorting import FlowRunSort
    from prefect.logging.handlers import APILogHandler
    from prefect_dask import DaskTaskRunner

    from flows.curate import curate as curate_flow

    shutil.copytree(ROOT / "raw" / "samples", tmp_path / "raw" / "samples")
    config = Config(raw_dir=tmp_path / "raw", curated_dir=tmp_path / "flow" / "curated")
    path = write_config(config, tmp_path / "notepipe.toml")
    dask = DaskTaskRunner(cluster_kwargs={"n_workers": 1, "threads_per_worker": 1, "processes": False,
                                          "dashboard_address": None})
    report = curate_flow.with_options(task_runner=dask)(config_path=path, batch_size=2)
    posts = len(list((tmp_path / "raw" / "samples").iterdir()))
    assert (report["processed"], report["reused"]) == (posts, 0)

    plain = config.model_copy(update={"curated_dir": tmp_path / "plain" / "curated"})
    curate(plain.raw_dir, plain.curated_dir)
    assert outputs(config) == outputs(plain)

    APILogHandler().flush()  # the run's logs reach the API in the background: wait for them
    with get_client(sync_client=True) as client:
        run = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)[0]
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
        logs = client.read_logs(log_filter=LogFilter(flow_run_id=LogFilterFlowRunId(any_=[run.id])))
    assert sorted(t.name for t in tasks) == ["assemble curated/", "plan curate"]
    batches = -(-posts // 2)
    done = sorted(m.message for m in logs if m.message.startswith("batch "))
    assert done == [f"batch {i}/{batches} done ({min(2, posts - 2 * (i - 1))} posts)" for i in range(1, batches + 1)]

    again = curate_flow.with_options(task_runner=dask)(config_path=path)  # nothing changed: no batch at all
    assert (again["processed"], again["reused"]) == (0, posts)
    assert outputs(config) == outputs(plain)
