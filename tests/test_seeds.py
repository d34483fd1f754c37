"""Quality floors on the five real seed posts, scored by ../shared/eval/score.py (skips without ../shared)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from notepipe.cli import main

# Floors CI enforces: any change that lowers one of these fails the build.
FLOORS = {
    "chrome_removed": 1.0,
    "content_kept": 1.0,
    "lang_acc": 1.0,
    "date_acc": 1.0,
    "tokens_ok": 1.0,
    "doc_title_acc": 0.8,
    "title_f1": 0.97,
    "arxiv_f1": 1.0,
    "pair_acc": 1.0,
}


@pytest.fixture(scope="module")
def scored(tmp_path_factory: pytest.TempPathFactory) -> dict[str, float]:
    seeds = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "seeds"
    if not (seeds / "gold.jsonl").is_file():
        pytest.skip("../shared/eval/seeds is not present")
    out = tmp_path_factory.mktemp("seeds") / "seeds.jsonl"
    assert main(["normalize", str(seeds), "-o", str(out), "-q"]) == 0
    result = subprocess.run(
        [sys.executable, str(seeds.parent / "score.py"), "--gold", str(seeds / "gold.jsonl"), "--pred", str(out),
         "--json"],
        capture_output=True, text=True, check=True,
    )
    summary: dict[str, float] = json.loads(result.stdout)["summary"]
    return summary


@pytest.mark.parametrize("metric", sorted(FLOORS))
def test_seed_floor(scored: dict[str, float], metric: str) -> None:
    assert scored[metric] >= FLOORS[metric], f"{metric}={scored[metric]} below floor {FLOORS[metric]}"


def test_all_seeds_found(scored: dict[str, float]) -> None:
    assert scored["found"] == scored["docs"] == 5
