"""Helpers for resolution tests: posts under raw/samples/ that mention papers, and a config on the fake APIs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from notepipe.config import Config, HttpConfig
from tests.fetch.helpers import papers_config
from tests.site import FixtureSite

ATTENTION = "1706.03762"
RESNET_TITLE = "Deep Residual Learning for Image Recognition"


def config_for(site: FixtureSite, root: Path, **papers: Any) -> Config:
    """raw/ and curated/ under `root`, no sources, resolution on the site's fake APIs (fast spacing)."""
    settings = papers_config(site).model_copy(update=papers)
    return Config(raw_dir=root / "raw", curated_dir=root / "curated", sources=[],
                  http=HttpConfig(contact="tests@example.org", requests_per_second=50.0, backoff_s=0.01,
                                  max_wait_s=3.0, timeout_s=2.0, retries=2),
                  papers=settings)


def write_post(config: Config, name: str, text: str) -> None:
    """A local markdown post under raw/samples/ (curate reads it as it reads a snapshot)."""
    path = Path(config.raw_dir) / "samples" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def ids_post(ids: list[str]) -> str:
    """A post that lists arXiv IDs, one a line."""
    return "# 読んだ論文\n\n" + "".join(f"- arXiv:{i}\n" for i in ids)


def curated_files(config: Config) -> dict[str, bytes]:
    """Every output file (cache and lock excluded)."""
    root = Path(config.curated_dir)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).parts[0].startswith(".")}


def rows(path: Path) -> list[dict[str, Any]]:
    """A JSONL file's rows."""
    return [json.loads(line) for line in path.read_text("utf-8").splitlines()]


def papers_of(config: Config) -> dict[str, dict[str, Any]]:
    """papers.jsonl by key."""
    return {row["key"]: row for row in rows(Path(config.curated_dir) / "papers.jsonl")}


def records_of(config: Config) -> list[dict[str, Any]]:
    """Every curated record."""
    return [r for shard in sorted((Path(config.curated_dir) / "records").glob("*.jsonl")) for r in rows(shard)]
