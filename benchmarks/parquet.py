"""Curate a synthetic corpus and report the Parquet outputs: JSONL vs Parquet size, and Parquet's share of curate time.

Usage: python benchmarks/parquet.py [--mb 20] [--work /tmp/notepipe-parquet] [--jobs 1] [--repeat 3]

Each repeat curates the corpus cold (empty curated/), then warm (every post cached and the Parquet kept, so only
assembling and checking are left), then once more after one post changed (one post processed, the Parquet
rebuilt). The time inside `records_parquet` and `papers_parquet` (building the tables and encoding them, or
finding last run's files current) is measured around those calls.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate  # noqa: E402

from notepipe.curate import _parquet, curate  # noqa: E402


@contextmanager
def _timed(spent: list[float]) -> Iterator[None]:
    """Add the time spent in the Parquet writers during the block to `spent`."""
    originals = {name: getattr(_parquet, name) for name in ("records_parquet", "papers_parquet")}

    def wrap(call: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            start = time.perf_counter()
            try:
                return call(*args, **kwargs)
            finally:
                spent.append(time.perf_counter() - start)
        return timed

    for name, call in originals.items():
        setattr(_parquet, name, wrap(call))
    try:
        yield
    finally:
        for name, call in originals.items():
            setattr(_parquet, name, call)


def _run(raw: Path, curated: Path, jobs: int) -> tuple[float, float]:
    spent: list[float] = []
    with _timed(spent):
        start = time.perf_counter()
        curate(raw, curated, jobs=jobs)
        wall = time.perf_counter() - start
    return wall, sum(spent)


def _size(folder: Path, pattern: str) -> int:
    return sum(p.stat().st_size for p in folder.glob(pattern))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--mb", type=float, default=20.0, help="corpus size in MB (default 20)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/notepipe-parquet"), help="scratch folder")
    ap.add_argument("--jobs", type=int, default=1, help="curate worker processes (default 1)")
    ap.add_argument("--repeat", type=int, default=3, help="cold + warm runs, reported as medians (default 3)")
    args = ap.parse_args(argv)
    raw = args.work / "raw"
    generate(raw / "corpus", int(args.mb * 1_000_000), seed=0)
    runs: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": [], "one post changed": []}
    curated = args.work / "curated"
    post = sorted((raw / "corpus").rglob("*.md"))[0]
    original = post.read_bytes()
    for _ in range(args.repeat):
        shutil.rmtree(curated, ignore_errors=True)
        runs["cold"].append(_run(raw, curated, args.jobs))
        runs["warm"].append(_run(raw, curated, args.jobs))
        post.write_bytes(original + "\n追記: もう一度読み直した。\n".encode())
        try:
            runs["one post changed"].append(_run(raw, curated, args.jobs))
        finally:
            post.write_bytes(original)
    jsonl = _size(curated, "records/*.jsonl") + _size(curated, "papers.jsonl")
    parquet = _size(curated, "data/*.parquet")
    print(f"corpus {args.mb} MB, {len(list((raw / 'corpus').rglob('*.*')))} files; jobs={args.jobs}; "
          f"medians of {args.repeat}")
    print(f"records JSONL {_size(curated, 'records/*.jsonl') / 1e6:.2f} MB + papers.jsonl "
          f"{_size(curated, 'papers.jsonl') / 1e6:.3f} MB = {jsonl / 1e6:.2f} MB")
    print(f"records Parquet {_size(curated, 'data/records-*.parquet') / 1e6:.2f} MB "
          f"({len(list(curated.glob('data/records-*.parquet')))} shard(s)) + papers.parquet "
          f"{_size(curated, 'data/papers.parquet') / 1e6:.3f} MB = {parquet / 1e6:.2f} MB "
          f"({parquet / jsonl:.2f}x of JSONL)")
    for kind, pairs in runs.items():
        wall = statistics.median(w for w, _ in pairs)
        spent = statistics.median(p for _, p in pairs)
        print(f"{kind}: curate {wall:.2f} s, writing Parquet {spent:.3f} s = {spent / wall:.1%} of it "
              f"(per run: {', '.join(f'{p / w:.1%}' for w, p in pairs)})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
