"""Shared fixtures: paths to our own fixtures and to ../shared (optional)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from notepipe.config import Config
    from tests.site import FixtureSite

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


# The site package is `tests.site` (a bare `site` is the stdlib module), so the repository root must be importable.
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


@pytest.fixture
def site() -> Iterator[FixtureSite]:
    """A fresh loopback fixture site (tests/site) on 127.0.0.1 ephemeral ports; stopped after the test."""
    from tests.site import FixtureSite

    with FixtureSite() as fixture_site:
        yield fixture_site


@pytest.fixture
def config(site: FixtureSite, tmp_path: Path) -> Config:
    """All three fixture sources on the loopback site (fast politeness settings); raw/ and curated/ in tmp_path."""
    from tests.fetch.helpers import site_config

    return site_config(site, tmp_path)
