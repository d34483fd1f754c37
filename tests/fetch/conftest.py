"""Fetch tests: the `config` fixture (all sources on the loopback fixture site, fast politeness settings)."""

from __future__ import annotations

from pathlib import Path

import pytest

from notepipe.config import Config
from tests.fetch.helpers import site_config
from tests.site import FixtureSite


@pytest.fixture
def config(site: FixtureSite, tmp_path: Path) -> Config:
    """The three fixture sources, raw/ and curated/ under tmp_path."""
    return site_config(site, tmp_path)
