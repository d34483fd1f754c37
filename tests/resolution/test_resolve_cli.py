"""`notepipe run` and `notepipe resolve` resolve papers against the fake APIs and print them in the run table."""

from __future__ import annotations

from pathlib import Path

import pytest

from notepipe.cli import main
from tests.fetch.helpers import outputs, site_config, write_config
from tests.resolution.papersite import ATTENTION, papers_of
from tests.site import FixtureSite, Status
from tests.site.papers import ArxivPaper


def _table(err: str) -> dict[str, list[str]]:
    return {row[0]: row for line in err.splitlines() if (row := line.split()) and row[0] in {"resolve:arxiv", "resolve:openalex"}}


def test_run_resolves_after_fetching_and_a_second_run_asks_nothing(site: FixtureSite, tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    site.arxiv.add(ArxivPaper(ATTENTION, "Attention Is All\n    You Need", published="2017-06-12T17:57:34Z"))
    config = site_config(site, tmp_path, resolve=True)
    path = write_config(config, tmp_path / "notepipe.toml")
    assert main(["run", "--config", path]) == 0
    table = _table(capsys.readouterr().err)
    assert table["resolve:arxiv"][1] == "ok" and int(table["resolve:arxiv"][-1]) >= 1
    assert papers_of(config)[f"arxiv:{ATTENTION}"]["canonical"]["title"] == "Attention Is All You Need"
    first = outputs(config)
    asked = len(site.arxiv.asked)
    assert main(["run", "--config", path]) == 0
    table = _table(capsys.readouterr().err)
    assert [row[1] for row in table.values()] == ["unchanged", "unchanged"]
    assert [row[-1] for row in table.values()] == ["0", "0"]
    assert len(site.arxiv.asked) == asked and outputs(config) == first
    assert main(["resolve", "--config", path, "--refresh", "-q"]) == 0
    assert len(site.arxiv.asked) > asked and outputs(config) == first  # same answers: the same bytes


def test_resolve_with_the_api_down_reports_it_and_strict_fails(site: FixtureSite, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    config = site_config(site, tmp_path, resolve=True, retries=0)
    path = write_config(config, tmp_path / "notepipe.toml")
    assert main(["run", "--config", path, "--no-curate", "-q"]) == 0
    site.fail(r"^/(arxiv|openalex)/", *[Status(503)] * 50)
    assert main(["resolve", "--config", path]) == 0
    err = capsys.readouterr().err
    assert _table(err)["resolve:arxiv"][1] == "unreachable" and "HTTP 503" in err
    assert main(["resolve", "--config", path, "--strict", "-q"]) == 1
    errors = (Path(config.curated_dir) / "errors.jsonl").read_text("utf-8")
    assert '"stage":"resolve"' in errors
