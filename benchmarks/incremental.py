"""Incremental cost: requests, re-processed posts and wall time of a run with nothing changed on the fixture site."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:  # `tests.site` lives in the repository, not in the installed package
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from notepipe.config import Config
    from tests.site import FixtureSite

FAST_RATE = 50.0  # the highest requests_per_second the config accepts: per-host spacing of 20 ms


def site_config(site: FixtureSite, work: Path, rate: float) -> Config:
    """Every fixture source (Qiita, Hatena, GitHub; all on 127.0.0.1) with default HTTP settings but `rate`."""
    from notepipe.config import Config, GithubSource, HatenaSource, HttpConfig, QiitaSource

    return Config(
        raw_dir=work / "raw",
        curated_dir=work / "curated",
        http=HttpConfig(contact="bench@example.org", requests_per_second=rate),
        sources=[
            QiitaSource(kind="qiita", user="mlnotes_ja", api_base=site.qiita_api),
            HatenaSource(kind="hatena", blog="papermemo.hatenablog.com",
                         base_url=site.hatena_base("papermemo.hatenablog.com")),
            GithubSource(kind="github", repo="ko-reader/paper-notes", path="reviews", api_base=site.github_api,
                         raw_base=site.github_raw),
        ],
    )


def write_toml(config: Config, path: Path) -> Path:
    """`config` as a notepipe.toml (what the CLI reads)."""
    lines = [f"raw_dir = {json.dumps(str(config.raw_dir))}", f"curated_dir = {json.dumps(str(config.curated_dir))}",
             "[http]"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in config.http.model_dump().items()]
    for source in config.sources:
        lines.append("[[sources]]")
        lines += [f"{k} = {json.dumps(v)}" for k, v in source.model_dump(exclude_none=True).items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def timed_run(config: Config) -> dict[str, Any]:
    """One incremental fetch of every source plus curate, in this process; wall time and the limiter's sleeps."""
    from notepipe.curate import curate
    from notepipe.http import shared_limiter
    from notepipe.sources import scrape

    limiter = shared_limiter(config.http.requests_per_second)
    slept: list[float] = []
    original = limiter.sleep

    def counting_sleep(seconds: float) -> None:
        slept.append(seconds)
        original(seconds)

    limiter.sleep = counting_sleep
    try:
        start = time.perf_counter()
        reports = scrape(config)
        fetched = time.perf_counter()
        report = curate(config.raw_dir, config.curated_dir)
        end = time.perf_counter()
    finally:
        limiter.sleep = original
    return {
        "requests_per_source": {r.source: r.requests for r in reports},
        "status_per_source": {r.source: r.status for r in reports},
        "reprocessed_posts": report.processed,
        "reused_posts": report.reused,
        "changed_outputs": report.changed,
        "fetch_s": round(fetched - start, 3),
        "curate_s": round(end - fetched, 3),
        "wall_s": round(end - start, 3),
        "host_spacing_s": round(sum(slept), 3),
        "wall_without_spacing_s": round(end - start - sum(slept), 3),
    }


def _subprocess_wall(argv: list[str], repeats: int) -> tuple[float, list[float]]:
    """Best wall time of `argv` (which must exit 0) over `repeats` runs (least disturbed by other load), and all."""
    walls = []
    for _ in range(repeats):
        start = time.perf_counter()
        done = subprocess.run(argv, capture_output=True, text=True, check=False, cwd=ROOT)
        walls.append(round(time.perf_counter() - start, 3))
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv)} exited {done.returncode}: {done.stderr[-2000:]}")
    return min(walls), walls


def cli_run(config: Config, toml: Path, repeats: int) -> dict[str, Any]:
    """`python -m notepipe.cli run --config toml -q` with nothing changed, in a fresh process."""
    best, walls = _subprocess_wall([sys.executable, "-m", "notepipe.cli", "run", "--config", str(toml), "-q"],
                                   repeats)
    return {"rate_per_s": config.http.requests_per_second, "wall_s": best, "walls_s": walls}


def run(args: argparse.Namespace) -> dict[str, Any]:
    """Backfill the fixture site, then measure an unchanged run in-process and through the CLI."""
    from notepipe.curate import curate
    from notepipe.sources import scrape
    from tests.site import FixtureSite

    tiny = bool(getattr(args, "tiny", False))
    rate = FAST_RATE if tiny else 1.0
    repeats = 1 if tiny else 5
    out: dict[str, Any] = {"rate_per_s": rate, "cores": os.cpu_count(), "python": sys.version.split()[0]}
    with tempfile.TemporaryDirectory(prefix="notepipe-incr-") as tmp, FixtureSite() as site:
        work = Path(tmp)
        config = site_config(site, work, rate)
        start = time.perf_counter()
        backfill = scrape(config, full=True)
        fetched = time.perf_counter()
        first = curate(config.raw_dir, config.curated_dir)
        out["backfill"] = {
            "requests_per_source": {r.source: r.requests for r in backfill},
            "new_per_source": {r.source: r.new for r in backfill},
            "fetch_s": round(fetched - start, 3), "curate_s": round(time.perf_counter() - fetched, 3),
            "processed_posts": first.processed, "records": first.records,
        }
        time.sleep(1 / rate)  # a later scheduled run: the host's next slot is free, as it would be hours later
        out["unchanged"] = timed_run(config)
        # The same with spacing near zero (all three sources share the host 127.0.0.1; real sites are three hosts).
        fast = config.model_copy(update={"http": config.http.model_copy(update={"requests_per_second": FAST_RATE})})
        out["unchanged_fast"] = timed_run(fast) if rate != FAST_RATE else out["unchanged"]
        site_requests = len(site.requests)
        toml = write_toml(config, work / "notepipe.toml")
        out["cli"] = cli_run(config, toml, repeats)
        if rate != FAST_RATE:
            out["cli_fast"] = cli_run(fast, write_toml(fast, work / "notepipe-fast.toml"), repeats)
        cli_requests = len(site.requests) - site_requests
        runs = repeats * (2 if rate != FAST_RATE else 1)
        out["cli_requests_per_run"] = cli_requests / runs
        reprocessed = curate(config.raw_dir, config.curated_dir).processed
        out["cli_reprocessed_posts_after"] = reprocessed
    out["python_startup_s"] = _subprocess_wall([sys.executable, "-c", "pass"], repeats)[0]
    startup, startups = _subprocess_wall([sys.executable, "-c", "import notepipe.cli"], repeats)
    out["import_notepipe_cli_s"] = startup
    out["import_notepipe_cli_walls_s"] = startups
    cli_fast = out.get("cli_fast", out["cli"])
    out["cli_beyond_startup_s"] = round(out["cli"]["wall_s"] - startup, 3)
    out["cli_fast_beyond_startup_s"] = round(cli_fast["wall_s"] - startup, 3)
    out["goals"] = {
        "one_request_per_source": all(n == 1 for n in out["unchanged"]["requests_per_source"].values()),
        "zero_reprocessed": out["unchanged"]["reprocessed_posts"] == 0,
    }
    return out


def main() -> None:
    """Parse --tiny, run, print the result as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tiny", action="store_true", help=f"fetch at {FAST_RATE:g} requests/s, one CLI run")
    parser.add_argument("--mb", type=float, default=0.0, help="unused here (accepted for benchmarks/run.py)")
    print(json.dumps(run(parser.parse_args()), ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
