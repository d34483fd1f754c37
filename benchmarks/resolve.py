"""Paper resolution: requests and wall time for many IDs and titles against the fake APIs, and dev-set merges.

`scale` resolves N distinct arXiv IDs and M titles (posts under raw/samples/) against the fixture site's arXiv API
and OpenAlex, first with no spacing (the measured overhead) and optionally at arXiv's real 3 s spacing; then an
incremental run with nothing new. `dev` curates ../shared/eval/dev with resolution off and on (a fake that knows
the gold papers) and counts the papers.jsonl rows that merge. Gold data is read here only, never in tests.
"""

from __future__ import annotations

import argparse
import json
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

DEV = ROOT.parent / "shared" / "eval" / "dev"


def _config(site: FixtureSite, work: Path, arxiv_interval_s: float, rate: float = 50.0) -> Config:
    from notepipe.config import Config, HttpConfig, PapersConfig

    return Config(raw_dir=work / "raw", curated_dir=work / "curated", sources=[],
                  http=HttpConfig(contact="bench@example.org", requests_per_second=rate),
                  papers=PapersConfig(arxiv_api=site.arxiv_api, openalex_api=site.openalex_api,
                                      arxiv_interval_s=arxiv_interval_s))


def _title(n: int) -> str:
    words = ["Sparse", "Neural", "Contrastive", "Latent", "Graph", "Adaptive", "Robust", "Efficient", "Causal"]
    return f"{words[n % 9]} {words[(n // 9) % 9]} Representations for Task Number {n} with Transformers"


def _resolve(config: Config) -> tuple[float, list[dict[str, Any]]]:
    from notepipe.resolution import resolve

    start = time.perf_counter()
    reports = resolve(config)
    return time.perf_counter() - start, [
        {k: r.to_dict()[k] for k in ("source", "status", "requests", "new", "skipped", "unchanged", "failed")}
        for r in reports]


def scale(ids: int, titles: int, real_arxiv: bool) -> dict[str, Any]:
    """Resolve `ids` distinct IDs and `titles` titles; overhead measured with no spacing, wall time computed."""
    from notepipe.curate import curate
    from tests.site import FixtureSite
    from tests.site.papers import ArxivPaper, openalex_work

    out: dict[str, Any] = {"ids": ids, "titles": titles}
    with FixtureSite() as site, tempfile.TemporaryDirectory() as tmp:
        id_list = [f"21{n % 12 + 1:02d}.{n // 12 + 1:05d}" for n in range(ids)]
        for i in id_list[: ids * 95 // 100]:  # 5 % unknown to arXiv (typos)
            site.arxiv.add(ArxivPaper(i, f"A Paper Numbered\n  {i}"))
        for n in range(titles * 4 // 5):  # 20 % unknown to OpenAlex
            site.openalex.add(openalex_work(f"W{n + 1}", _title(n), 2020, doi=f"10.9999/bench.{n}"))
        for variant in ("fast", "real") if real_arxiv else ("fast",):
            work = Path(tmp) / variant
            samples = work / "raw" / "samples"
            samples.mkdir(parents=True)
            for k in range(0, ids, 50):
                (samples / f"ids{k:05d}.md").write_text(
                    "# 論文\n\n" + "".join(f"- arXiv:{i}\n" for i in id_list[k:k + 50]), encoding="utf-8")
            # Both fakes share one loopback host, so arXiv's 3 s would space OpenAlex too: the real run is IDs only.
            for k in range(0, titles if variant == "fast" else 0, 25):
                refs = "".join(f"- A. Author, B. Author. {_title(n)}. ICML, 2020.\n" for n in range(k, k + 25))
                (samples / f"titles{k:05d}.md").write_text(f"# 参考\n\n## References\n{refs}", encoding="utf-8")
            config = _config(site, work, 3.0 if variant == "real" else 0.0, rate=50.0)
            curate(config.raw_dir, config.curated_dir)  # posts processed first: what follows is resolution alone
            before = len(site.requests)
            first, reports = _resolve(config)
            requests = len(site.requests) - before
            second, again = _resolve(config)
            start = time.perf_counter()
            curate(config.raw_dir, config.curated_dir)
            out[variant] = {"first_s": round(first, 2), "requests": requests, "reports": reports,
                            "incremental_s": round(second, 2),
                            "incremental_requests": sum(r["requests"] for r in again),
                            "curate_after_s": round(time.perf_counter() - start, 2)}
        fast = out["fast"]
        arxiv_req = next(r["requests"] for r in fast["reports"] if r["source"] == "resolve:arxiv")
        openalex_req = next(r["requests"] for r in fast["reports"] if r["source"] == "resolve:openalex")
        # The fast run still spaces requests to one host 1/50 s apart; what it took beyond that is the overhead
        # (reading the cache, parsing and storing answers, loopback HTTP). At real limits the client waits the
        # host's spacing before each request after the first one to that host.
        spaced = (max(0, arxiv_req - 1) + max(0, openalex_req - 1)) / 50.0
        overhead = max(0.0, fast["first_s"] - spaced)
        out["overhead_s"] = round(overhead, 2)
        out["computed_real_s"] = {
            f"openalex_at_{rps:g}_rps": round(max(0, arxiv_req - 1) * 3.0 + max(0, openalex_req - 1) / rps
                                              + overhead, 1)
            for rps in (1.0, 10.0)}
    return out


def dev() -> dict[str, Any]:
    """papers.jsonl rows of the dev set with resolution off, and on against a fake that knows the gold papers."""
    from notepipe.curate import curate
    from notepipe.curate._papers import index_papers
    from notepipe.curate._run import current_records
    from notepipe.resolution import load_resolutions, resolve
    from tests.site import FixtureSite
    from tests.site.papers import ArxivPaper, openalex_work

    gold = [json.loads(line) for line in (DEV / "gold.jsonl").read_text("utf-8").splitlines() if line.strip()]
    known: dict[tuple[str | None, str | None], None] = {}
    for post in gold:
        for paper in post["papers"]:
            known[(paper.get("title"), paper.get("arxiv_id"))] = None
    result: dict[str, Any] = {"posts": len(gold), "gold_papers": len(known)}
    with FixtureSite() as site, tempfile.TemporaryDirectory() as tmp:
        for n, (title, arxiv_id) in enumerate(known, start=1):
            if arxiv_id:
                site.arxiv.add(ArxivPaper(arxiv_id, title or f"Paper {arxiv_id}"))
            if title:
                site.openalex.add(openalex_work(f"W{n}", title, None, arxiv_id=arxiv_id,
                                                doi=None if arxiv_id else f"10.9999/dev.{n}"))
        rows: dict[str, list[dict[str, Any]]] = {}
        for mode in ("off", "on"):
            work = Path(tmp) / mode
            samples = work / "raw" / "samples"
            samples.mkdir(parents=True)
            for src in sorted(DEV.glob("*.md")):
                (samples / src.name).write_bytes(src.read_bytes())
            config = _config(site, work, 0.0)
            if mode == "on":
                result["reports"] = [{k: r.to_dict()[k] for k in ("source", "requests", "new", "skipped")}
                                     for r in resolve(config)]
            curate(config.raw_dir, config.curated_dir)
            rows[mode] = [json.loads(line) for line in
                          (work / "curated" / "papers.jsonl").read_text("utf-8").splitlines()]
        result["rows_off"], result["rows_on"] = len(rows["off"]), len(rows["on"])
        result["merged_rows"] = len(rows["off"]) - len(rows["on"])
        result["rows_resolved"] = sum(1 for r in rows["on"] if r["canonical"])
        index = index_papers(current_records(config.raw_dir, config.curated_dir), load_resolutions(config.raw_dir)[0])
        result["merges"] = {key: groups for key, groups in index.merged.items() if len(groups) > 1}
    return result


def main() -> None:
    """Run the chosen measurement and print it as JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    sub = parser.add_subparsers(dest="what", required=True)
    sc = sub.add_parser("scale", help="N IDs and M titles against the fake APIs")
    sc.add_argument("--ids", type=int, default=1000)
    sc.add_argument("--titles", type=int, default=500)
    sc.add_argument("--real-arxiv", action="store_true",
                    help="also resolve the IDs (only) once at arXiv's real 3 s spacing")
    sub.add_parser("dev", help="papers.jsonl rows that merge on ../shared/eval/dev")
    args = parser.parse_args()
    result = scale(args.ids, args.titles, args.real_arxiv) if args.what == "scale" else dev()
    print(json.dumps(result, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
