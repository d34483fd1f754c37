"""Fixtures for the curate tests: an empty raw/ tree builder and the curated output folder."""

from __future__ import annotations

from pathlib import Path

import pytest
from rawtree import RawTree


@pytest.fixture
def raw(tmp_path: Path) -> RawTree:
    """An empty raw/ folder."""
    return RawTree(tmp_path / "raw")


@pytest.fixture
def curated(tmp_path: Path) -> Path:
    """Where curate writes."""
    return tmp_path / "curated"

