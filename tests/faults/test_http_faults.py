"""HTTP faults at the source level: each run ends with raw/ and curated/ consistent and the error recorded."""

from __future__ import annotations

import gzip
import socket
from pathlib import Path

from notepipe.config import Config
from notepipe.curate import curate
from notepipe.raw_store import RawStore
from notepipe.sources import scrape, sync_source
from tests.fetch.helpers import BLOG, REPO, USER, curated_rows, snapshots
from tests.site import Body, FixtureSite, Redirect, Slow, Status, Truncate

ALL_POSTS = 5 + 4 + 3


def _ids(config: Config) -> list[str]:
    return [row["id"] for row in curated_rows(config)]


def _recover(config: Config) -> None:
    """A later run with the fault gone: everything lands exactly once."""
    scrape(config, full=True)
    curate(config.raw_dir, config.curated_dir)
    ids = _ids(config)
    assert len(ids) == ALL_POSTS == len(set(ids)), "nothing lost, nothing duplicated"
    assert len(snapshots(config)) == ALL_POSTS, "one snapshot per post version"


def test_connection_refused_is_reported_and_others_go_on(config: Config) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}/api/v2"
    broken = config.model_copy(update={"sources": [config.sources[0].model_copy(update={"api_base": closed}),
                                                   *config.sources[1:]]})
    reports = scrape(broken, full=True)
    assert reports[0].status == "unreachable" and "ConnectError" in reports[0].message
    assert [r.status for r in reports[1:]] == ["ok", "ok"]
    _recover(config)


def test_timeouts_exhaust_retries_then_resume(site: FixtureSite, config: Config) -> None:
    impatient = config.model_copy(update={"http": config.http.model_copy(update={"timeout_s": 0.3, "retries": 1})})
    site.fail(r"items\?page=2", Slow(1.0), Slow(1.0))
    report = sync_source(config.sources[0], impatient, full=True)
    assert report.status == "unreachable" and "ReadTimeout" in report.message
    assert report.new == 2, "page 1 landed before the failure"
    _recover(config)


def test_429_without_retry_after_backs_off(site: FixtureSite, config: Config) -> None:
    site.fail(r"/git/trees/", Status(429), Status(429))
    report = sync_source(config.sources[2], config, full=True)
    assert (report.status, report.new) == ("ok", 3) and site.count("/git/trees/") == 3


def test_5xx_bursts_on_every_source_are_absorbed(site: FixtureSite, config: Config) -> None:
    site.fail(r"items\?page=1", Status(500), Status(502))
    site.fail(r"/feed$", Status(503, {"Retry-After": "0"}))
    site.fail(r"2025-02-lora", Status(502), Status(503), Status(500))
    reports = scrape(config, full=True)
    assert [(r.status, r.failed) for r in reports] == [("ok", 0)] * 3
    _recover(config)


def test_truncated_body_and_wrong_content_length_are_retried(site: FixtureSite, config: Config) -> None:
    site.fail(r"/entry/2025/01/05/", Truncate(100))
    site.fail(r"items\?page=3", Truncate(3))
    reports = scrape(config, full=True)
    assert [(r.status, r.failed) for r in reports] == [("ok", 0)] * 3
    _recover(config)


def test_gzip_that_does_not_decode_fails_that_file_only(site: FixtureSite, config: Config) -> None:
    site.fail(r"2025-01-vit", Status(200, {"Content-Encoding": "gzip", "Content-Type": "text/plain"}, b"not gzip"))
    report = sync_source(config.sources[2], config, full=True)
    assert (report.new, report.failed) == (2, 1)
    assert "could not be decoded" in report.errors[0].message and "2025-01-vit" in (report.errors[0].url or "")
    assert "tree_etag" not in RawStore(config.raw_dir).load_state(config.sources[2].name), "retried next run"
    assert curate(config.raw_dir, config.curated_dir).errors_by_stage == {"fetch": 1}
    assert "2025-01-vit" in Path(config.curated_dir, "errors.jsonl").read_text(encoding="utf-8")
    again = sync_source(config.sources[2], config)
    assert (again.new, again.unchanged) == (1, 2)
    assert curate(config.raw_dir, config.curated_dir).errors == 0, "a later good run clears the error line"


def test_gzip_bomb_is_refused_by_the_decompressed_size_cap(site: FixtureSite, config: Config) -> None:
    bomb = gzip.compress(b"\0" * 30_000_000)  # 30 MB of zeros in about 30 KB
    site.fail(r"2025-02-lora", Status(200, {"Content-Encoding": "gzip", "Content-Type": "text/plain"}, bomb))
    report = sync_source(config.sources[2], config, full=True)
    assert report.failed == 1 and "after decompression" in report.errors[0].message
    assert not any(p.stat().st_size > 1_000_000 for p in snapshots(config))


def test_html_error_page_and_malformed_json_stop_the_source_cleanly(site: FixtureSite, config: Config) -> None:
    site.fail(r"items\?page=2", Body(b"<html><body><h1>503</h1>maintenance</body></html>"))
    first = sync_source(config.sources[0], config, full=True)
    assert first.status == "failed" and "expected JSON, got text/html" in first.message
    site.fail(r"items\?page=2", Body(b'[{"id": "c3a1f0e9b2', "application/json"))
    second = sync_source(config.sources[0], config, full=True)
    assert second.status == "failed" and "does not parse" in second.message
    assert RawStore(config.raw_dir).load_state(config.sources[0].name)["cursor"].endswith("page=2&per_page=2")
    _recover(config)


def test_pagination_that_loops_back_is_stopped(site: FixtureSite, config: Config) -> None:
    first_page = f"{site.qiita_api}/users/{USER}/items?page=1&per_page=2"
    loop = {"Content-Type": "application/json", "Link": f'<{first_page}>; rel="next"'}
    site.fail(r"items\?page=2", Status(200, loop, b"[]"))
    report = sync_source(config.sources[0], config, full=True)
    assert report.status == "failed" and "loops back" in report.message
    assert site.count(r"items\?page=1") == 1


def test_feed_that_points_at_itself_is_stopped(site: FixtureSite, config: Config) -> None:
    feed = f"{site.hatena_base(BLOG)}/feed"
    body = (f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>'
            f'<link rel="next" href="{feed}"/></feed>').encode()
    site.fail(r"/feed$", Body(body, "application/atom+xml"))
    report = sync_source(config.sources[1], config, full=True)
    assert report.status == "failed" and "loops back" in report.message


def test_an_empty_list_is_not_an_error(site: FixtureSite, config: Config) -> None:
    empty = config.sources[0].model_copy(update={"user": "empty_user"})
    report = sync_source(empty, config, full=True)
    assert (report.status, report.new, report.errors) == ("unchanged", 0, [])


def test_feed_links_to_other_hosts_and_schemes_are_never_fetched(site: FixtureSite, config: Config) -> None:
    entries = "".join(
        f'<entry><title>t</title><link href="{href}"/><updated>2025-01-01T00:00:00+09:00</updated></entry>'
        for href in ("http://169.254.169.254/entry/latest/meta-data", "file:///etc/passwd",
                     f"{site.other_base}/hatena/{BLOG}/entry/x", f"{site.hatena_base(BLOG)}/entry/../../../robots.txt"))
    body = f'<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>x</title>{entries}</feed>'
    site.fail(r"/feed$", Body(body.encode(), "application/atom+xml"))
    report = sync_source(config.sources[1], config, full=True)
    assert (report.new, report.failed) == (0, 4), "each refused entry link is reported"
    assert {e.error for e in report.errors} == {"HostNotAllowedError"}
    assert site.other_requests == [] and [r.path for r in site.requests] == [
        "/robots.txt", f"/hatena/{BLOG}/feed"]


def test_redirects_to_file_or_other_hosts_are_refused_and_reported(site: FixtureSite, config: Config) -> None:
    site.fail(r"2025-01-vit", Redirect("file:///etc/passwd"))
    site.fail(r"2025-02-lora", Redirect(f"{site.other_base}/x"))
    report = sync_source(config.sources[2], config, full=True)
    assert (report.new, report.failed) == (1, 2)
    assert all(e.error == "HostNotAllowedError" for e in report.errors)
    assert site.other_requests == []
    assert REPO in (report.errors[0].url or "")
