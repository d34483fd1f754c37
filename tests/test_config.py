"""notepipe.toml and source specs: defaults, relative folders, overrides, and errors that name the fix."""

from __future__ import annotations

from pathlib import Path

import pytest

from notepipe.config import ConfigError, GithubSource, HatenaSource, QiitaSource, load_config, parse_spec, token_for

ROOT = Path(__file__).resolve().parents[1]


def test_the_repository_config_names_real_public_sources() -> None:
    config = load_config(ROOT / "notepipe.toml")
    assert config.raw_dir == ROOT / "raw" and config.curated_dir == ROOT / "curated"
    # README command 1 fetches these: the seed posts' Korean notes, and a Japanese author on Qiita.
    assert [s.name for s in config.sources] == ["github:rosinality/ml-papers/papers", "qiita:omiita"]
    assert config.allowlist() == {"api.github.com", "raw.githubusercontent.com", "qiita.com", "export.arxiv.org",
                                  "api.openalex.org"}
    assert (config.http.requests_per_second, config.http.deadline_s, config.http.max_pages_per_run) == (1.0, 120, 500)
    assert [sorted(s.origins()) for s in config.sources] == [
        ["https://api.github.com:443", "https://raw.githubusercontent.com:443"], ["https://qiita.com:443"]]


def test_folders_resolve_against_the_config_file(tmp_path: Path) -> None:
    path = tmp_path / "conf" / "notepipe.toml"
    path.parent.mkdir()
    path.write_text('raw_dir = "../data/raw"\ncurated_dir = "/abs/curated"\n', encoding="utf-8")
    config = load_config(path)
    assert config.raw_dir == tmp_path / "conf" / "../data/raw" and config.curated_dir == Path("/abs/curated")


@pytest.mark.parametrize(("text", "message"), [
    ('[http]\nrequests_per_second = 0\n', "http.requests_per_second"),
    ('[http]\nspeed = 3\n', "http.speed: Extra inputs are not permitted"),
    ('[http]\ndeadline_s = 0\n', "http.deadline_s: Input should be greater than 0"),
    ('[http]\nmax_pages_per_run = 0\n', "http.max_pages_per_run: Input should be greater than or equal to 1"),
    ('[[sources]]\nkind = "zenn"\nuser = "x"\n', "sources.0"),
    ('[[sources]]\nkind = "qiita"\nuser = "x"\napi_base = "file:///etc"\n', "not an http(s) URL"),
    ('[[sources]]\nkind = "qiita"\nuser = "x"\napi_base = "https://qiita.com:api/v2"\n', "sources.0.qiita.api_base"),
    ('[[sources]]\nkind = "hatena"\nblog = "b"\nbase_url = "http://127.0.0.1:99999"\n', "Port out of range"),
    ('[[sources]]\nkind = "github"\nrepo = "no-slash"\n', "sources.0.github.repo"),
    ('[[sources]]\nkind = "github"\nrepo = "o/r"\npath = "../up"\n', "may not contain . or .."),
    ("raw_dir = [", "not valid TOML"),
])
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "notepipe.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=str(path)) as info:
        load_config(path)
    assert message in str(info.value)


def test_specs_parse_and_merge_with_the_config(tmp_path: Path) -> None:
    path = tmp_path / "notepipe.toml"
    path.write_text('[[sources]]\nkind = "qiita"\nuser = "someone"\napi_base = "http://127.0.0.1:9/api/v2"\n',
                    encoding="utf-8")
    config = load_config(path)
    qiita = parse_spec("qiita:someone", [], config)
    assert isinstance(qiita, QiitaSource) and qiita.api_base == "http://127.0.0.1:9/api/v2"
    other = parse_spec("qiita:else", ["per_page=50"], config)
    assert isinstance(other, QiitaSource) and other.api_base == "https://qiita.com/api/v2" and other.per_page == 50
    github = parse_spec("github:octo/notes/papers/2025/", ["branch=dev"])
    assert isinstance(github, GithubSource)
    assert (github.repo, github.path, github.branch, github.name) == ("octo/notes", "papers/2025", "dev",
                                                                      "github:octo/notes/papers/2025")
    hatena = parse_spec("hatena:blog.example.jp")
    assert isinstance(hatena, HatenaSource) and hatena.root == "https://blog.example.jp"


def test_tokens_come_from_the_environment_only(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIITA_TOKEN", "  abc  ")
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    assert token_for("qiita") == "abc" and token_for("github") is None and token_for("hatena") is None
