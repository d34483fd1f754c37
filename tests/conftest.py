"""Shared fixtures: paths to our own fixtures and to ../shared (optional)."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "eval" / "seeds"


@pytest.fixture
def seeds_dir() -> Path:
    """The five real seed posts; tests using it skip cleanly where ../shared is absent."""
    if not (SEEDS / "gold.jsonl").is_file():
        pytest.skip("../shared/eval/seeds is not present")
    return SEEDS
