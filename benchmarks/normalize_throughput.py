"""Throughput of `normalize` (chars/s of input and of output text) on a few MB of posts; prints numbers."""

from __future__ import annotations

import argparse
import shutil
import time
from pathlib import Path

from notepipe.normalize import Stats, expand, normalize_paths

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SOURCES = [ROOT.parent / "shared" / "eval" / "seeds", ROOT / "tests" / "fixtures" / "formats"]


def build_corpus(out: Path, sources: list[Path], target_bytes: int) -> list[Path]:
    """Copy the source posts under distinct names until the corpus reaches `target_bytes`."""
    files = [p for p in expand([s for s in sources if s.exists()])
             if "bad" not in p.parts and p.name not in {"expected.json", "gold.jsonl"}]
    if not files:
        raise SystemExit("no input posts found: pass --source DIR")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    written: list[Path] = []
    total, i = 0, 0
    while total < target_bytes:
        src = files[i % len(files)]
        dst = out / f"{i:05d}_{src.name}"
        dst.write_bytes(src.read_bytes())
        written.append(dst)
        total += dst.stat().st_size
        i += 1
    return written


def main() -> None:
    """Build the corpus, warm the analyzers, time one full pass."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--mb", type=float, default=4.0, help="corpus size in MB (default 4)")
    ap.add_argument("--source", action="append", type=Path, help="input dir (default: seeds + fixtures)")
    ap.add_argument("--work", type=Path, default=Path("/tmp/notepipe-bench"), help="scratch dir")
    args = ap.parse_args()
    files = build_corpus(args.work, args.source or DEFAULT_SOURCES, int(args.mb * 1_000_000))
    in_chars = sum(len(p.read_text("utf-8", errors="replace")) for p in files)
    list(normalize_paths(files[:3], Stats()))  # load dictionaries and langdetect profiles once
    stats = Stats()
    start = time.perf_counter()
    for _ in normalize_paths(files, stats):
        pass
    elapsed = time.perf_counter() - start
    size = sum(p.stat().st_size for p in files)
    print(f"files={stats.files} records={stats.records} errors={stats.errors} input={size / 1e6:.2f} MB")
    print(f"elapsed={elapsed:.2f}s input_chars/s={in_chars / elapsed:,.0f} text_chars/s={stats.chars / elapsed:,.0f}")


if __name__ == "__main__":
    main()
