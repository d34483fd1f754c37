"""Paper-mention extractor: precision/recall on our labelled cases and throughput on the seeds (chars/s)."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "papers"))
from cases import CASES  # noqa: E402
from cases_more import MORE_CASES  # noqa: E402
from evaluate import evaluate  # noqa: E402

from notepipe.papers import extract_papers, find_arxiv_ids  # noqa: E402

SEEDS = ROOT.parent / "shared" / "eval" / "seeds"


def throughput(target_chars: int = 3_000_000) -> None:
    """Extract from the seeds repeated to about `target_chars`, per post and as one big document."""
    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    if not texts:
        print("no seeds: ../shared/eval/seeds is absent")
        return
    reps = max(1, target_chars // sum(len(t) for t in texts))
    start, chars = time.perf_counter(), 0
    for _ in range(reps):
        for t in texts:
            extract_papers(t)
            find_arxiv_ids(t)
            chars += len(t)
    per_post = chars / (time.perf_counter() - start)
    big = "\n\n".join(texts * reps)
    start = time.perf_counter()
    extract_papers(big)
    find_arxiv_ids(big)
    one_doc = len(big) / (time.perf_counter() - start)
    print(
        f"throughput: {chars:,} chars, per post {per_post / 1e6:.2f}M chars/s, one {len(big):,}-char doc "
        f"{one_doc / 1e6:.2f}M chars/s"
    )


def main() -> None:
    """Print both reports."""
    for label, batch in (("first batch", CASES), ("second batch", MORE_CASES), ("all", CASES + MORE_CASES)):
        t = evaluate(batch)
        print(
            f"{label}: cases={len(batch)} title P={t.precision:.3f} R={t.recall:.3f} (tp={t.tp} fp={t.fp} "
            f"fn={t.fn}) arXiv F1={t.id_f1:.3f} pairs={t.pairs_ok}/{t.pairs}"
        )
    throughput()


if __name__ == "__main__":
    main()
