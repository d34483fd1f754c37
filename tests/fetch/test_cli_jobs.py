"""`notepipe run`, `backfill` and `curate` from the command line against the loopback fixture site."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest

from notepipe.cli import main
from notepipe.config import Config
from notepipe.raw_store import RawStore
from tests.fetch.helpers import USER, outputs, write_config
from tests.site import FixtureSite


def test_backfill_one_user_from_a_spec_and_overrides(site: FixtureSite, config: Config, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(config.model_copy(update={"sources": []}), tmp_path / "notepipe.toml")
    code = main(["backfill", f"qiita:{USER}", "--config", path, "--set", f"api_base={site.qiita_api}",
                 "--set", "per_page=2"])
    err = capsys.readouterr().err
    assert code == 0
    assert f"qiita:{USER}" in err and "whole history" in err and "records=5" in err
    assert outputs(config)["records/qiita.jsonl"].count(b"\n") == 5


def test_run_twice_second_is_unchanged_and_reuses_everything(config: Config, tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(config, tmp_path / "notepipe.toml")
    assert main(["run", "--config", path]) == 0
    first = outputs(config)
    capsys.readouterr()
    assert main(["run", "--config", path]) == 0
    err = capsys.readouterr().err
    table = [line.split() for line in err.splitlines() if line.startswith(("qiita:", "hatena:", "github:"))]
    assert [(row[1], row[-1]) for row in table] == [("unchanged", "1")] * 3
    assert "processed=0" in err
    assert outputs(config) == first


def test_run_only_one_source(site: FixtureSite, config: Config, tmp_path: Path) -> None:
    path = write_config(config, tmp_path / "notepipe.toml")
    assert main(["run", "--config", path, "--only", f"qiita:{USER}", "--no-curate", "-q"]) == 0
    assert site.count("/hatena/|/github/") == 0
    assert not Path(config.curated_dir).exists()


@pytest.mark.parametrize(("argv", "message"), [
    (["run", "--only", "qiita:nobody"], "--only qiita:nobody: not in the config"),
    (["backfill", "zenn:someone"], "'zenn:someone' is not a source spec"),
    (["backfill", "github:lonely"], "needs OWNER/REPO"),
    (["backfill", "qiita:x", "--set", "per_page=500"], "per_page"),
    (["backfill", "qiita:x", "--set", "api_base"], "use key=value"),
])
def test_usage_errors_exit_2_and_name_the_problem(config: Config, tmp_path: Path, argv: list[str], message: str,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(config, tmp_path / "notepipe.toml")
    assert main([*argv, "--config", path]) == 2
    assert message in capsys.readouterr().err


def test_bad_config_file_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[[sources]]\nkind = "qiita"\n', encoding="utf-8")
    assert main(["curate", "--config", str(bad)]) == 2
    err = capsys.readouterr().err
    assert str(bad) in err and "sources.0.qiita.user" in err
    assert main(["curate", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "no such config file" in capsys.readouterr().err


def test_a_second_run_on_the_same_raw_refuses_clearly(config: Config, tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    path = write_config(config, tmp_path / "notepipe.toml")
    with RawStore(config.raw_dir).lock():
        assert main(["run", "--config", path]) == 3
    assert "another notepipe run is using" in capsys.readouterr().err


def test_strict_exits_1_when_a_source_fails(site: FixtureSite, config: Config, tmp_path: Path) -> None:
    broken = config.model_copy(update={"sources": [config.sources[0].model_copy(update={"user": "ghost"})]})
    path = write_config(broken, tmp_path / "notepipe.toml")
    assert main(["run", "--config", path, "-q"]) == 0
    assert main(["run", "--config", path, "-q", "--strict"]) == 1


def test_tokens_never_reach_disk_or_logs(site: FixtureSite, config: Config, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
                                         caplog: pytest.LogCaptureFixture) -> None:
    token = "qiita-TOKEN-7f3e9a1c"
    site.qiita_token = token
    monkeypatch.setenv("QIITA_TOKEN", token)
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_TOKEN_0b8d2e")
    path = write_config(config, tmp_path / "notepipe.toml")
    caplog.set_level(logging.DEBUG)
    assert main(["run", "--config", path, "-v"]) == 0
    seen = [r for r in site.requests if r.path.startswith("/qiita/")]
    assert seen and all(r.headers.get("authorization") == f"Bearer {token}" for r in seen)
    assert not any("authorization" in r.headers for r in site.requests if "/github/raw/" in r.path)
    written = b"".join(p.read_bytes() for p in tmp_path.rglob("*") if p.is_file())
    captured = capsys.readouterr()
    for secret in (token, "ghp_TOKEN_0b8d2e"):
        assert secret.encode() not in written
        assert secret not in captured.err + captured.out + caplog.text
    runs = json.loads(next(Path(config.raw_dir, "_state", "runs").glob("*.json")).read_text("utf-8"))
    assert runs[0]["status"] == "ok"  # authenticated: the token was used, and still written nowhere
