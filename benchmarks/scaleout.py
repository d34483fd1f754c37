"""Scale-out: the curate flow on Prefect's thread runner vs a 2-process local Dask cluster, plus plain Python
(one process, and curate's own pool of `--workers` processes)."""

from __future__ import annotations

import argparse
import importlib
import importlib.util
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `flows` and `benchmarks` live in the repository, not in the installed package
    sys.path.insert(0, str(ROOT))

MODES = ("plain", "plain-jobs", "default", "dask", "dask-warm")
HEALTH_TIMEOUT_S = 180.0


def fallback_corpus(out_dir: Path, target_bytes: int) -> list[Path]:
    """Copies of raw/samples/* and tests/fixtures/formats/** (not bad/) under distinct names, up to target_bytes."""
    from notepipe.normalize import SUFFIXES

    sources = [ROOT / "raw" / "samples", ROOT / "tests" / "fixtures" / "formats"]
    files = sorted(p for s in sources for p in s.rglob("*")
                   if p.is_file() and p.suffix.lower() in SUFFIXES and "bad" not in p.relative_to(s).parts
                   and p.name not in {"expected.json", "gold.jsonl"})
    out_dir.mkdir(parents=True, exist_ok=True)
    written: list[Path] = []
    total = 0
    while total < target_bytes:
        src = files[len(written) % len(files)]
        dst = out_dir / f"{len(written):05d}_{src.name}"
        dst.write_bytes(src.read_bytes())
        written.append(dst)
        total += dst.stat().st_size
    return written


def make_corpus(out_dir: Path, mb: float) -> tuple[Path, str]:
    """benchmarks.corpus.generate when it exists, else the fallback; returns the folder and which made it."""
    try:
        from benchmarks.corpus import generate
    except ImportError:
        fallback_corpus(out_dir, int(mb * 1_000_000))
        return out_dir, "fallback copies of raw/samples and tests/fixtures/formats"
    generate(out_dir, int(mb * 1_000_000), seed=0)
    return out_dir, "benchmarks.corpus.generate(seed=0)"


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def prefect_env(home: Path, api_url: str | None) -> dict[str, str]:
    """The environment for the server and the flow processes: a throwaway PREFECT_HOME, no telemetry."""
    env = dict(os.environ)
    env.update({"PREFECT_HOME": str(home), "PREFECT_SERVER_ANALYTICS_ENABLED": "false", "DO_NOT_TRACK": "1",
                "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))})
    if api_url is not None:
        env["PREFECT_API_URL"] = api_url
    return env


def start_server(home: Path, log: Path) -> tuple[subprocess.Popen[bytes], str, float]:
    """`prefect server start` on a free port; returns the process, its API URL and seconds until healthy."""
    prefect = Path(sys.executable).parent / "prefect"
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = prefect_env(home, None)
    env.pop("PREFECT_API_URL", None)
    start = time.perf_counter()
    with log.open("wb") as out:
        proc = subprocess.Popen([str(prefect), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
                                env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    while time.perf_counter() - start < HEALTH_TIMEOUT_S:
        if proc.poll() is not None:
            raise RuntimeError(f"prefect server exited {proc.returncode}: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(f"{api}/health", timeout=2) as resp:
                healthy = resp.status == 200
        except OSError:
            healthy = False
        if healthy:
            # Every flow run's client first asks the server's version, and a fresh server takes 0.6 s to answer
            # the first time (then 5 ms): asked here, so the first mode timed does not pay for it.
            with urllib.request.urlopen(f"{api}/admin/version", timeout=60) as resp:
                resp.read()
            return proc, api, time.perf_counter() - start
        time.sleep(0.5)
    stop_server(proc)
    raise RuntimeError(f"prefect server not healthy after {HEALTH_TIMEOUT_S:g} s; log: {log}")


def stop_server(proc: subprocess.Popen[bytes]) -> None:
    """Stop the server we started (its own process group: the CLI and its uvicorn child)."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def cpu_seconds(proc: subprocess.Popen[bytes]) -> float:
    """CPU time (user + system) used so far by a process and its living children: the server shares the cores."""
    import psutil  # a dependency of dask's distributed, which this benchmark needs anyway

    total = 0.0
    root = psutil.Process(proc.pid)
    for member in [root, *root.children(recursive=True)]:
        try:
            times = member.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def _warm_worker() -> None:
    """Load what every worker loads once: curate's batch code, the analyzers, the language detector. (The flow
    sends a Dask runner's workers plain `process_all` calls, so they never import Prefect.)"""
    from notepipe.normalize import normalize_bytes

    importlib.import_module("notepipe.curate")

    normalize_bytes("# 準備\n\n注意機構の論文を読んだ。 논문을 읽었다. Reading the attention paper today.\n".encode())


def phases(call_start: float, call_end: float) -> dict[str, float]:
    """Where a flow call's time went, from the run's own records on the server (the latest flow run is this
    call's: the server is the benchmark's): engine start-up before the flow body, plan, processing (plan's end to
    assemble's start: the batches, and on Dask reading their entries), assemble, and engine wind-down after the
    body. Batches that ran as Prefect task runs (not on Dask) add their count, first start to last end, and their
    summed task time."""
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId
    from prefect.client.schemas.sorting import FlowRunSort

    with get_client(sync_client=True) as client:
        run = client.read_flow_runs(sort=FlowRunSort.START_TIME_DESC, limit=1)[0]
        tasks = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[run.id])))
    if run.start_time is None or run.end_time is None:
        return {}
    spans = {t.name: (t.start_time.timestamp(), t.end_time.timestamp()) for t in tasks if t.start_time and t.end_time}
    batches = [span for name, span in spans.items() if name.startswith("process ")]
    out = {"engine_start_s": run.start_time.timestamp() - call_start,
           "engine_end_s": call_end - run.end_time.timestamp()}
    for name, key in (("plan curate", "plan_s"), ("assemble curated/", "assemble_s")):
        if name in spans:
            out[key] = spans[name][1] - spans[name][0]
    if "plan curate" in spans and "assemble curated/" in spans:
        out["process_s"] = spans["assemble curated/"][0] - spans["plan curate"][1]
    if batches:
        out["batches"] = len(batches)
        out["batches_wall_s"] = max(end for _, end in batches) - min(start for start, _ in batches)
        out["batches_task_s"] = sum(end - start for start, end in batches)
    return {key: round(value, 3) for key, value in out.items()}


def one(mode: str, config_path: str, workers: int, batch_size: int | None = None) -> dict[str, Any]:
    """Run one mode in this (fresh) process: time the curate call itself, after the imports."""
    import flows  # sets Prefect defaults (setdefault: the caller's PREFECT_HOME / PREFECT_API_URL win)

    del flows
    from flows.curate import run_on
    from notepipe.config import load_config
    from notepipe.curate import curate

    cluster = None
    if mode == "dask-warm":  # a cluster that is already up, its workers warmed: the steady state of a deployment
        from distributed import Client, LocalCluster

        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
        with Client(cluster) as client:
            client.run(_warm_worker)
    if not mode.startswith("plain"):
        # A real run's main module is `flows.curate` (`python -m flows.curate`) or `prefect.engine` (a deployment's
        # flow run), and the workers of a cluster the flow spawns import the main module before anything else: name
        # it so here too, so the cold Dask mode pays what a real run would.
        sys.modules["__main__"].__spec__ = importlib.util.find_spec("flows.curate")
    start, epoch = time.perf_counter(), time.time()
    if mode.startswith("plain"):  # no Prefect: one process, or `workers` processes of curate's own pool
        config = load_config(config_path)
        report = curate(config.raw_dir, config.curated_dir, jobs=workers if mode == "plain-jobs" else 1).to_dict()
    elif cluster is not None:
        report = run_on("dask", config_path, batch_size=batch_size, address=cluster.scheduler_address)
    else:
        report = run_on(mode, config_path, workers=workers, batch_size=batch_size)
    wall = time.perf_counter() - start
    if cluster is not None:
        cluster.close()
    out = {"call_s": round(wall, 3), "processed": report["processed"], "records": report["records"],
           "errors": report["errors"]}
    if not mode.startswith("plain"):
        out["phases"] = phases(epoch, epoch + wall)
    return out


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file under a curated folder except the cache and the lock, by relative path."""
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and not any(part.startswith(".") for part in p.relative_to(folder).parts)}


def _median_run(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The run with the median call time (the lower middle one for an even count), with every call time beside."""
    chosen = sorted(runs, key=lambda r: r["call_s"])[(len(runs) - 1) // 2]
    return {**chosen, "call_s_runs": [r["call_s"] for r in runs]} if len(runs) > 1 else chosen


def _run_mode(mode: str, toml: Path, env: dict[str, str], server: subprocess.Popen[bytes], *, workers: int,
              batch_size: int | None) -> dict[str, Any]:
    """One mode in a fresh process (`--one`): its result, plus the process's wall time and the server's CPU."""
    server_cpu = cpu_seconds(server)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, str(Path(__file__).resolve()), "--one", mode, "--config", str(toml),
                           "--workers", str(workers), *(["--batch-size", str(batch_size)] if batch_size else [])],
                          env=env, cwd=ROOT, capture_output=True, text=True, check=False)
    process_s = time.perf_counter() - start
    if done.returncode != 0:
        raise RuntimeError(f"{mode} exited {done.returncode}: {done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    result["process_s"] = round(process_s, 3)
    result["server_cpu_s"] = round(cpu_seconds(server) - server_cpu, 3)
    return result


def run(corpus_dir: Path, args: argparse.Namespace) -> dict[str, Any]:
    """Curate `corpus_dir` (as local inputs under raw/corpus/) plainly, on the thread runner and on Dask; with
    `repeat` > 1 the modes alternate round after round (so a slow spell of the machine hits all of them) and each
    mode reports its median run."""
    workers = int(getattr(args, "workers", 2) or 2)
    batch_size: int | None = getattr(args, "batch_size", None)
    repeat = max(1, int(getattr(args, "repeat", 1) or 1))
    files = sorted(p for p in Path(corpus_dir).rglob("*") if p.is_file())
    out: dict[str, Any] = {"cores": os.cpu_count(), "workers": workers, "batch_size": batch_size or "auto",
                           "repeat": repeat, "files": len(files),
                           "input_mb": round(sum(p.stat().st_size for p in files) / 1e6, 2)}
    runs: dict[str, list[dict[str, Any]]] = {mode: [] for mode in MODES}
    differing: dict[str, set[str]] = {mode: set() for mode in MODES[1:]}
    with tempfile.TemporaryDirectory(prefix="notepipe-scale-") as tmp:
        work = Path(tmp)
        shutil.copytree(corpus_dir, work / "raw" / "corpus")
        toml = work / "notepipe.toml"
        toml.write_text(f'raw_dir = "{work / "raw"}"\ncurated_dir = "{work / "curated"}"\n'
                        '[http]\ncontact = "bench@example.org"\n', encoding="utf-8")
        home = work / "prefect-home"
        home.mkdir()
        server, api, healthy_s = start_server(home, work / "server.log")
        out["prefect_server_start_s"] = round(healthy_s, 1)
        base: dict[str, bytes] = {}
        try:
            env = prefect_env(home, api)
            for _ in range(repeat):
                for mode in MODES:
                    shutil.rmtree(work / "curated", ignore_errors=True)  # empty curated/, .cache included
                    runs[mode].append(_run_mode(mode, toml, env, server, workers=workers, batch_size=batch_size))
                    written = outputs(work / "curated")
                    if not base:  # the first plain run's files: every later run of every mode must match them
                        base = written
                    else:
                        differing.setdefault(mode, set()).update(
                            k for k in base.keys() | written.keys() if base.get(k) != written.get(k))
        finally:
            stop_server(server)
    out["files_compared"] = len(base)
    for mode in MODES:
        out[mode] = _median_run(runs[mode])
    for mode in MODES[1:]:
        out[f"{mode}_identical_to_plain"] = not differing[mode]
        if differing[mode]:
            out[f"{mode}_differing_files"] = sorted(differing[mode])
    if differing.get("plain"):
        out["plain_runs_differ"] = sorted(differing["plain"])
    out["speedup_dask_vs_default"] = round(out["default"]["call_s"] / out["dask"]["call_s"], 2)
    out["speedup_dask_vs_plain"] = round(out["plain"]["call_s"] / out["dask"]["call_s"], 2)
    out["speedup_warm_dask_vs_default"] = round(out["default"]["call_s"] / out["dask-warm"]["call_s"], 2)
    out["speedup_warm_dask_vs_plain"] = round(out["plain"]["call_s"] / out["dask-warm"]["call_s"], 2)
    out["speedup_plain_jobs_vs_plain"] = round(out["plain"]["call_s"] / out["plain-jobs"]["call_s"], 2)
    return out


def main() -> None:
    """Standalone: make a corpus of --mb MB, run, print the result as JSON (or run one mode with --one)."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--mb", type=float, default=5.0, help="corpus size in MB (default 5)")
    parser.add_argument("--workers", type=int, default=2, help="Dask worker processes (default 2)")
    parser.add_argument("--batch-size", type=int, help="posts per task (default: flows.curate picks ~4 per worker)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="rounds of all modes, alternating; each mode reports its median (default 1)")
    parser.add_argument("--tiny", action="store_true", help="a 0.5 MB corpus")
    parser.add_argument("--corpus", type=Path, help="use this folder of inputs instead of generating one")
    parser.add_argument("--one", choices=MODES, help=argparse.SUPPRESS)
    parser.add_argument("--config", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:
        print(json.dumps(one(args.one, args.config, args.workers, args.batch_size)))
        return
    if args.corpus is not None:
        print(json.dumps(run(args.corpus, args), ensure_ascii=False, indent=2))
        return
    with tempfile.TemporaryDirectory(prefix="notepipe-corpus-") as tmp:
        corpus, made_by = make_corpus(Path(tmp) / "corpus", 0.5 if args.tiny else args.mb)
        result = {"corpus": made_by, **run(corpus, args)}
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
