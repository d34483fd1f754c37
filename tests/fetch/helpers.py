"""Fetch test helpers: a config pointing every source at the loopback fixture site; raw/ and curated/ readers."""

from __future__ import annotations

from pathlib import Path

from tests.site import FixtureSite

from notepipe.config import Config, GithubSource, HatenaSource, HttpConfig, QiitaSource

BLOG = "papermemo.hatenablog.com"
REPO = "ko-reader/paper-notes"
USER = "mlnotes_ja"


def site_config(site: FixtureSite, tmp_path: Path, **http: float) -> Config:
    """All three sources on the fixture site; rate and back-off fast enough for tests, still exercised."""
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
