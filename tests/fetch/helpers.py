"""Fetch test helpers: a config pointing every source at the loopback fixture site; raw/ and curated/ readers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from notepipe.config import Config, GithubSource, HatenaSource, HttpConfig, PapersConfig, QiitaSource
from tests.site import FixtureSite

BLOG = "papermemo.hatenablog.com"
REPO = "ko-reader/paper-notes"
USER = "mlnotes_ja"


def papers_config(site: FixtureSite, *, resolve: bool = True) -> PapersConfig:
    """Resolution against the fixture site's arXiv API and OpenAlex, without arXiv's 3 s spacing."""
    return PapersConfig(resolve=resolve, arxiv_api=site.arxiv_api, openalex_api=site.openalex_api,
                        mailto="tests@example.org", arxiv_interval_s=0)


def site_config(site: FixtureSite, tmp_path: Path, *, resolve: bool = False, **http: float) -> Config:
    """All three sources on the fixture site; rate and back-off fast enough for tests, still exercised. Paper
    resolution asks the site's fake APIs when `resolve` is set, else it is off."""
    settings = {"requests_per_second": 50.0, "backoff_s": 0.01, "max_wait_s": 3.0, "timeout_s": 2.0, **http}
    return Config(
        raw_dir=tmp_path / "raw",
        curated_dir=tmp_path / "curated",
        http=HttpConfig(contact="tests@example.org", **settings),
        sources=[
            QiitaSource(kind="qiita", user=USER, api_base=site.qiita_api, per_page=2),
            HatenaSource(kind="hatena", blog=BLOG, base_url=site.hatena_base(BLOG)),
            GithubSource(kind="github", repo=REPO, path="reviews", api_base=site.github_api,
                         raw_base=site.github_raw),
        ],
        papers=papers_config(site, resolve=resolve),
    )


def snapshots(config: Config) -> list[Path]:
    """Every committed snapshot file under raw/ (sidecars excluded), sorted."""
    root = Path(config.raw_dir)
    return sorted(p for p in root.rglob("*") if p.is_file() and not p.name.endswith(".meta.json")
                  and p.relative_to(root).parts[0] in {"qiita", "hatena", "github"})


def outputs(config: Config) -> dict[str, bytes]:
    """Every file curate wrote (cache and lock excluded), by relative path."""
    root = Path(config.curated_dir)
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file() and not p.relative_to(root).parts[0].startswith(".")}


def write_config(config: Config, path: Path) -> str:
    """Write `config` as a notepipe.toml at `path`; returns the path as a string."""
    lines = [f'raw_dir = "{config.raw_dir}"', f'curated_dir = "{config.curated_dir}"', "[http]"]
    lines += [f"{k} = {v!r}" if isinstance(v, str) else f"{k} = {v}" for k, v in config.http.model_dump().items()]
    lines.append("[papers]")
    lines += [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {str(v).lower() if isinstance(v, bool) else v}"
              for k, v in config.papers.model_dump().items()]
    for source in config.sources:
        lines.append("[[sources]]")
        lines += [f'{k} = "{v}"' if isinstance(v, str) else f"{k} = {v}"
                  for k, v in source.model_dump(exclude_none=True).items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return str(path)


def curated_rows(config: Config) -> list[dict[str, Any]]:
    """Every record curate wrote, shard by shard (sorted), in file order."""
    return [json.loads(line) for shard in sorted(Path(config.curated_dir, "records").glob("*.jsonl"))
            for line in shard.read_text(encoding="utf-8").splitlines()]
