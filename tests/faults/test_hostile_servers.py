"""Servers that misbehave on purpose (loopback): every run ends within its bounds, the other sources land, no
token reaches another origin, nothing stays stuck, and a second run makes progress."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from notepipe.config import Config
from notepipe.curate import curate
from notepipe.raw_store import RawStore
from notepipe.sources import scrape, sync_source
from tests.fetch.helpers import BLOG, REPO, USER, curated_rows, site_config, snapshots, write_config
from tests.site import Body, Drip, FixtureSite, Redirect, Slow, Status

QIITA_SECRET = "qiita-secret-0d5e"
GITHUB_SECRET = "ghp_secret_7c1a"
JSON = "application/json; charset=utf-8"
ATOM = "application/atom+xml; charset=utf-8"


def _http(config: Config, **settings: float) -> Config:
    return config.model_copy(update={"http": config.http.model_copy(update=settings)})


def _item(n: int, **extra: Any) -> dict[str, Any]:
    item_id = f"{n:020x}"
    return {"id": item_id, "title": f"記事 {n}", "body": f"本文 {n} です。arXiv:1706.03762", "tags": [],
            "url": f"https://qiita.com/{USER}/items/{item_id}", "created_at": "2025-01-01T00:00:00+09:00",
            "updated_at": "2025-01-01T00:00:00+09:00", "user": {"id": USER, "name": "U"}, **extra}


def _qiita_page(items: list[dict[str, Any]], next_url: str | None) -> Status:
    headers = {"Content-Type": JSON, **({"Link": f'<{next_url}>; rel="next"'} if next_url else {})}
    return Status(200, headers, json.dumps(items).encode())


def _feed(next_url: str | None, entries: str = "") -> Status:
    link = f'<link rel="next" href="{next_url}"/>' if next_url else ""
    body = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>{link}{entries}</feed>'
    return Status(200, {"Content-Type": ATOM}, body.encode())


def _list(site: FixtureSite, page: int, **extra: str) -> str:
    query = "&".join(f"{k}={v}" for k, v in {"page": page, "per_page": 2, **extra}.items())
    return f"{site.qiita_api}/users/{USER}/items?{query}"


def _tokens(site: FixtureSite) -> dict[str, set[str]]:
    """Which Authorization values reached which path prefix of the site."""
    seen: dict[str, set[str]] = {}
    for req in site.requests:
        prefix = "/".join(req.path.split("/")[:3])
        seen.setdefault(prefix, set()).add(req.headers.get("authorization", ""))
    return seen


@pytest.mark.parametrize("head_too", [False, True], ids=["body", "headers"])
def test_a_slow_drip_is_cut_at_the_deadline_and_the_others_land(site: FixtureSite, config: Config,
                                                                head_too: bool) -> None:
    # One byte every 50 ms: no single read ever waits timeout_s (2 s), so only the deadline can stop it.
    site.fail(r"items\?page=1", Drip(0.05, headers=head_too), Drip(0.05, headers=head_too))
    hostile = _http(config, deadline_s=1.0, retries=1)
    started = time.monotonic()
    reports = scrape(hostile, full=True)
    elapsed = time.monotonic() - started
    assert elapsed < 2 * 1.0 + 2.0, f"two attempts of at most deadline_s each, plus the others: {elapsed:.1f} s"
    assert reports[0].status == "unreachable" and "deadline_s=1" in reports[0].message
    assert [(r.status, r.new) for r in reports[1:]] == [("ok", 4), ("ok", 3)], "the other sources land"
    again = scrape(hostile, full=True)  # raw/.lock was released: a second run goes ahead and makes progress
    assert (again[0].status, again[0].new) == ("ok", 5)


def test_endless_pages_in_both_styles_pause_at_the_budget_and_resume(site: FixtureSite, config: Config) -> None:
    budget = 4
    # Qiita, Link-header style: every page names a further one; Hatena, rel=next style: a new page each time.
    site.fail(r"/users/mlnotes_ja/items\?", *[_qiita_page([_item(n)], _list(site, n + 1)) for n in range(1, 12)])
    feed = f"{site.hatena_base(BLOG)}/feed"
    site.fail(rf"/hatena/{BLOG}/feed", *[_feed(f"{feed}?page={10_000 - n}") for n in range(12)])
    bounded = _http(config, max_pages_per_run=budget)
    started = time.monotonic()
    first = scrape(bounded, full=True)
    assert time.monotonic() - started < 5
    assert [r.status for r in first] == ["paused", "paused", "ok"]
    assert all("max_pages_per_run=4" in r.message for r in first[:2])
    assert (first[0].new, first[0].requests) == (budget, budget)
    assert site.count(rf"/hatena/{BLOG}/feed") == budget and first[2].new == 3, "the other source lands"
    state = RawStore(config.raw_dir).load_state
    assert state(first[0].source)["cursor"] == _list(site, budget + 1)
    assert state(first[1].source)["cursor"] == f"{feed}?page={10_000 - budget + 1}"
    second = scrape(bounded)  # the next (incremental) run continues from the cursors
    assert [r.status for r in second[:2]] == ["paused", "paused"] and second[0].new == budget
    assert site.count(r"items\?page=5&") == 1 and site.count(rf"feed\?page={10_000 - budget}$") == 1
    assert not any(e.stage == "fetch" for r in first + second for e in r.errors), "a budget pause is no error"


def test_qiita_page_cap_reads_every_parameter(site: FixtureSite, config: Config) -> None:
    """A next link with `page=100` plus an extra parameter is refused: only `page` and `per_page` may vary, so a
    changing parameter cannot pass the page cap or the seen-URL check."""
    site.fail(r"items\?page=1&", _qiita_page([_item(1)], _list(site, 100, x="1")))
    report = sync_source(config.sources[0], config, full=True)
    assert (report.status, report.new, report.failed, report.requests) == ("ok", 1, 1, 1)
    assert report.errors[0].error == "CursorRefusedError" and "other than page and per_page" in report.errors[0].message
    assert site.count("x=") == 0
    site.fail(r"items\?page=1&", _qiita_page([_item(1)], _list(site, 100)))
    site.fail(r"items\?page=100&", _qiita_page([_item(2)], _list(site, 100)))
    again = sync_source(config.sources[0], config, full=True)
    assert again.status == "failed" and "loops back" in again.message and again.requests == 2


def test_cross_source_links_and_redirects_are_refused_and_tokens_stay_home(
        site: FixtureSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QIITA_TOKEN", QIITA_SECRET)
    monkeypatch.setenv("GITHUB_TOKEN", GITHUB_SECRET)
    site.qiita_token = QIITA_SECRET
    with FixtureSite() as blog_host:  # the Hatena blog on its own origin, as in production
        base = site_config(site, tmp_path)
        hatena = base.sources[1].model_copy(update={"base_url": blog_host.hatena_base(BLOG)})
        config = base.model_copy(update={"sources": [base.sources[0], hatena, base.sources[2]]})
        other_feed = f"{blog_host.hatena_base(BLOG)}/feed"
        site.fail(r"items\?page=1&", _qiita_page([_item(1), _item(2)], other_feed))  # next → the blog's host
        site.fail(r"raw/.*2025-01-vit", Redirect(f"{blog_host.hatena_base(BLOG)}/entry/2025/02/03/210000"))
        site.fail(r"/items/", Redirect(f"{site.github_raw}/{REPO}/main/reviews/2025-02-lora.md"))
        reports = scrape(config, full=True)
        assert [(r.status, r.new, r.failed) for r in reports] == [("ok", 2, 1), ("ok", 4, 0), ("ok", 2, 1)]
        assert reports[0].errors[0].error == "CursorRefusedError" and other_feed in reports[0].errors[0].message
        assert reports[2].errors[0].error == "HostNotAllowedError"
        assert blog_host.count("/feed$") == 1, "only the blog's own source read its feed's first page"
        assert {r.headers.get("authorization") for r in blog_host.requests} == {None}
        assert blog_host.count("/github/|/qiita/") == 0
        # Same origin as the API but outside its base: a redirect there never carries the token.
        client_config = config.model_copy(update={"sources": [config.sources[0]]})
        from notepipe.http import PoliteClient

        with PoliteClient(client_config.http, {site.base}, tokens={site.qiita_api: QIITA_SECRET}) as http:
            http.get(f"{site.qiita_api}/items/{_item(1)['id']}")
        seen = _tokens(site)
        assert seen["/qiita/api"] == {f"Bearer {QIITA_SECRET}"}
        assert seen["/github/api"] == {f"Bearer {GITHUB_SECRET}"}
        assert seen["/github/raw"] == {""}, "raw files (and redirects to them) never get a token"
        second = scrape(config)  # the refused link is not a resume point: the next run reads from the top
        assert (second[0].new, second[0].failed) == (5, 0) and second[2].new == 1
    for path in Path(config.raw_dir).rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            assert QIITA_SECRET.encode() not in data and GITHUB_SECRET.encode() not in data


def test_an_item_that_cannot_be_stored_is_an_error_line_and_the_rest_moves_on(site: FixtureSite,
                                                                              config: Config) -> None:
    bad = _item(2, title="lone \ud800 surrogate")
    site.fail(r"items\?page=1&", _qiita_page([_item(1), bad], _list(site, 2)))
    report = sync_source(config.sources[0], config, full=True)
    assert (report.status, report.new, report.failed) == ("ok", 1 + 3, 1), "page 1's other item and pages 2-3"
    error = report.errors[0]
    assert (error.stage, error.error) == ("store", "UnicodeEncodeError") and bad["id"] in error.message
    assert "cursor" not in RawStore(config.raw_dir).load_state(config.sources[0].name), "the walk finished"
    result = curate(config.raw_dir, config.curated_dir)
    assert result.errors_by_stage == {"store": 1}
    assert bad["url"] in Path(config.curated_dir, "errors.jsonl").read_text(encoding="utf-8")
    assert len(curated_rows(config)) == 4
    site.fail(r"items\?page=1&", _qiita_page([_item(1), bad], _list(site, 2)))
    again = sync_source(config.sources[0], config, full=True)  # the same page again: only that item fails again
    assert (again.status, again.new, again.unchanged, again.failed) == ("ok", 0, 4, 1)


def test_a_foreign_next_link_is_reported_never_saved(site: FixtureSite, config: Config) -> None:
    feed = f"{site.hatena_base(BLOG)}/feed"
    real = httpx.get(feed).text  # the fixture's own first page, with its next link swapped for AtomPub's
    atompub = f"https://blog.hatena.ne.jp/someone/{BLOG}/atom/entry?page=1700000000"
    nxt = real.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    site.fail(r"/feed$", Body(real.replace(nxt, atompub).encode(), ATOM))
    report = sync_source(config.sources[1], config, full=True)
    assert (report.status, report.new + report.skipped, report.failed) == ("ok", 3, 1), "page 1 (robots skips one)"
    assert report.errors[0].error == "CursorRefusedError" and report.errors[0].url == atompub
    state = RawStore(config.raw_dir).load_state(config.sources[1].name)
    assert "cursor" not in state and "feed_etag" not in state, "neither a resume point nor 'seen to the end'"
    again = sync_source(config.sources[1], config, full=True, restart=True)
    assert (again.status, again.new, again.failed) == ("ok", 2, 0), "the rest of the blog lands"


def test_a_cursor_that_cannot_be_followed_is_dropped(site: FixtureSite, config: Config) -> None:
    store = RawStore(config.raw_dir)
    hatena = config.sources[1]
    stuck = f"https://blog.hatena.ne.jp/someone/{BLOG}/atom/entry?page=1700000000"  # saved by an older notepipe
    store.save_state(hatena.name, {"cursor": stuck})
    first = sync_source(hatena, config)
    assert (first.status, first.new, first.failed) == ("ok", 4, 1) and "dropped" in first.errors[0].message
    gone = f"{site.hatena_base(BLOG)}/feed?page=1600000000"  # the right shape, but the page is gone
    store.save_state(hatena.name, {**store.load_state(hatena.name), "cursor": gone})
    site.fail(r"feed\?page=1600000000", Status(404))
    second = sync_source(hatena, config)
    assert second.status == "failed" and "dropped" in second.message
    assert "cursor" not in store.load_state(hatena.name)
    store.save_state(hatena.name, {**store.load_state(hatena.name), "cursor": gone})
    seen = len(site.requests)
    third = sync_source(hatena, config, full=True, restart=True)  # run --full: from the top, whatever is saved
    assert third.status == "unchanged" and site.requests[seen].path.endswith("/feed") and site.count("1600000000") == 1


def test_github_symlinks_are_not_posts_and_every_markdown_suffix_is(site: FixtureSite, config: Config) -> None:
    site.add_github_file(REPO, "reviews/2025-03-notes.mkd", "# MKD のメモ\n\n本文。arXiv:2106.09685\n")
    site.add_github_file(REPO, "reviews/2025-03-more.mdown", "# MDOWN のメモ\n\n本文。arXiv:1706.03762\n")
    tree = httpx.get(f"{site.github_api}/repos/{REPO}/git/trees/main?recursive=1").json()
    link = {"path": "reviews/link.md", "mode": "120000", "type": "blob", "sha": "9" * 40, "size": 20}
    tree["tree"].append(link)
    site.fail(r"/git/trees/", Body(json.dumps(tree).encode(), JSON))
    report = sync_source(config.sources[2], config, full=True)
    assert (report.status, report.new, report.failed) == ("ok", 5, 0)
    assert site.count("link.md") == 0
    curate(config.raw_dir, config.curated_dir)
    ids = {row["id"] for row in curated_rows(config)}
    assert {f"github:{REPO}/reviews/2025-03-notes.mkd", f"github:{REPO}/reviews/2025-03-more.mdown"} <= ids
    assert len(snapshots(config)) == 5


def test_progress_within_one_feed_page_survives_kill_9(site: FixtureSite, config: Config, tmp_path: Path) -> None:
    from tests.faults.test_process_faults import CLI, _kill_when

    feed = httpx.get(f"{site.hatena_base(BLOG)}/feed").text
    paths = [p.split('"')[0] for p in feed.split(f'<link href="{site.hatena_base(BLOG)}')[1:]]
    paths = [p for p in paths if p.startswith("/entry/") and "drafts" not in p]
    first, stuck = paths[0], paths[1]  # the page's first entry lands; the run is killed inside the second
    site.fail(stuck.replace("/", r"\/") + "$", Slow(20))
    path = write_config(config.model_copy(update={"sources": [config.sources[1]]}), tmp_path / "notepipe.toml")
    code = _kill_when([*CLI, "run", "--no-curate", "--config", path, "-q"], lambda: site.count(stuck + "$") > 0)
    assert code == -9
    report = sync_source(config.sources[1], config)
    assert (report.status, report.failed) == ("ok", 0) and report.new == 3
    assert site.count(first + "$") == 1, "the entry stored before the kill is not fetched again"


def test_hatena_records_take_updated_at_from_the_feed(site: FixtureSite, config: Config) -> None:
    site.update_hatena_entry(BLOG, "/entry/2025/01/20/083000", title="Chain-of-Thought 再読")
    report = sync_source(config.sources[1], config, full=True)
    assert report.new == 4
    curate(config.raw_dir, config.curated_dir)
    rows = {row["id"]: row for row in curated_rows(config)}
    versions = {meta.key: meta.version for meta in RawStore(config.raw_dir).snapshots()}
    assert len(rows) == 4 and all(rows[key]["updated_at"] == version for key, version in versions.items())
    edited = rows[f"hatena:{BLOG}/entry/2025/01/20/083000"]
    assert edited["updated_at"] > edited["published_at"]


def test_a_mirror_feed_naming_the_blog_host_is_walked_on_the_mirror(site: FixtureSite, config: Config) -> None:
    feed = f"{site.hatena_base(BLOG)}/feed"
    real = httpx.get(feed).text
    nxt = real.split('rel="next" href="')[1].split('"')[0].replace("&amp;", "&")
    on_blog = nxt.replace(site.hatena_base(BLOG), f"https://{BLOG}")  # what a mirror of the real blog serves
    site.fail(r"/feed$", Body(real.replace(nxt, on_blog).encode(), ATOM))
    report = sync_source(config.sources[1], config, full=True)
    assert (report.status, report.new, report.failed) == ("ok", 4, 0)
    assert site.count(r"/feed\?page=") == 1, "the next page was read from the mirror, never from the blog's host"
