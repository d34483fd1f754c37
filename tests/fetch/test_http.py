"""The polite client against the loopback site: retries, Retry-After, caps, allowlist, robots.txt, 304s."""

from __future__ import annotations

import socket
from pathlib import Path

import pytest

from notepipe.config import HttpConfig
from notepipe.http import (
    FetchError,
    HostNotAllowedError,
    PoliteClient,
    RateLimitedError,
    RobotsDisallowedError,
    TooLargeError,
    origin_of,
)
from notepipe.raw_store import RawStore
from tests.fetch.helpers import BLOG, REPO
from tests.site import Body, Drip, Drop, FixtureSite, Redirect, Slow, Status, Truncate

FAST = {"requests_per_second": 50.0, "backoff_s": 0.01, "max_wait_s": 3.0, "timeout_s": 2.0, "retries": 3}


class Sleeps(list[float]):
    """Records the pauses the client asks for instead of sleeping them."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(site: FixtureSite, sleeps: Sleeps | None = None, store: RawStore | None = None,
           tokens: dict[str, str | None] | None = None, **settings: float) -> PoliteClient:
    config = HttpConfig(contact="tests@example.org", **{**FAST, **settings})
    return PoliteClient(config, {origin_of(site.base)}, store=store, tokens=tokens,
                        sleep=sleeps if sleeps is not None else Sleeps())


def raw_url(site: FixtureSite, path: str = "reviews/2025-01-vit.md") -> str:
    return f"{site.github_raw}/{REPO}/main/{path}"


def test_user_agent_and_conditional_get(site: FixtureSite) -> None:
    with client(site) as http:
        first = http.get(raw_url(site))
        assert first.status == 200 and first.etag
        again = http.get(raw_url(site), etag=first.etag)
    assert again.not_modified and again.content == b""
    assert site.requests[-1].headers["if-none-match"] == first.etag
    assert site.requests[0].headers["user-agent"].startswith("notepipe/")
    assert "tests@example.org" in site.requests[0].headers["user-agent"]


def test_429_honours_retry_after_then_succeeds(site: FixtureSite) -> None:
    sleeps = Sleeps()
    site.fail("2025-01-vit", Status(429, {"Retry-After": "2"}))
    with client(site, sleeps) as http:
        assert http.get(raw_url(site)).status == 200
    assert site.count("2025-01-vit") == 2
    assert max(sleeps) >= 2.0, "waited at least what Retry-After asked"


def test_retry_after_beyond_max_wait_stops_with_a_resume_time(site: FixtureSite) -> None:
    site.fail("2025-01-vit", Status(503, {"Retry-After": "7200"}))
    with client(site) as http, pytest.raises(RateLimitedError, match="resume later") as info:
        http.get(raw_url(site))
    assert info.value.resume_at > 0 and site.count("2025-01-vit") == 1


def test_5xx_burst_is_retried_with_growing_backoff(site: FixtureSite) -> None:
    sleeps = Sleeps()
    site.fail("2025-01-vit", Status(500), Status(502), Status(503))
    with client(site, sleeps, backoff_s=0.5) as http:  # sleeps are recorded, not slept
        assert http.get(raw_url(site)).status == 200
    assert site.count("2025-01-vit") == 4
    backoffs = [s for s in sleeps if s >= 0.25]  # the rest are the per-host spacing (<= 1/50 s)
    assert len(backoffs) == 3 and backoffs[2] > backoffs[0]


def test_persistent_5xx_gives_up_with_a_clear_error(site: FixtureSite) -> None:
    site.fail("2025-01-vit", *[Status(500)] * 10)
    with client(site, retries=2) as http, pytest.raises(FetchError, match=r"HTTP 500 \(gave up after 3 attempts\)"):
        http.get(raw_url(site))
    assert site.count("2025-01-vit") == 3


@pytest.mark.parametrize("fault", [Truncate(10), Drop(), Slow(1.0)], ids=["truncated", "dropped", "slow"])
def test_broken_transfers_are_retried(site: FixtureSite, fault: Truncate | Drop | Slow) -> None:
    site.fail("2025-01-vit", fault)
    with client(site, timeout_s=0.3) as http:
        body = http.get(raw_url(site)).content
    assert body.startswith(b"# ") and site.count("2025-01-vit") == 2


def test_redirect_to_another_host_is_refused(site: FixtureSite) -> None:
    site.fail("2025-01-vit", Redirect(f"{site.other_base}/steal"))
    with client(site, tokens={site.base: "tok-never-sent"}) as http, \
            pytest.raises(HostNotAllowedError, match="not one of this source's configured origins"):
        http.get(raw_url(site))
    assert site.other_requests == []


def test_redirect_within_the_host_is_followed(site: FixtureSite) -> None:
    site.fail("moved", Redirect(raw_url(site)))
    with client(site) as http:
        resp = http.get(f"{site.base}/moved")
    assert resp.url == raw_url(site) and resp.status == 200


@pytest.mark.parametrize("url", ["file:///etc/passwd", "http://169.254.169.254/latest/meta-data/",
                                 "http://localhost/", "gopher://127.0.0.1/"])
def test_urls_outside_the_allowlist_are_never_requested(site: FixtureSite, url: str) -> None:
    with client(site) as http, pytest.raises(HostNotAllowedError):
        http.get(url)
    assert site.requests == []


def test_response_size_is_capped(site: FixtureSite) -> None:
    with client(site, max_bytes=20) as http, pytest.raises(TooLargeError, match="max_bytes=20"):
        http.get(raw_url(site))


def test_html_error_page_where_json_was_expected(site: FixtureSite) -> None:
    site.fail("/items/", Body(b"<html><body>Service Unavailable</body></html>", "text/html; charset=utf-8"))
    with client(site) as http:
        resp = http.get(f"{site.qiita_api}/items/c3a1f0e9b27d4e8a5f61")
        with pytest.raises(FetchError, match="expected JSON, got text/html"):
            resp.json()


def test_robots_txt_is_obeyed_and_remembered(site: FixtureSite, tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    base = site.hatena_base(BLOG)
    with client(site, store=store) as http:
        assert http.get(f"{base}/entry/2025/02/03/210000", page=True).status == 200
        with pytest.raises(RobotsDisallowedError, match=r"robots\.txt"):
            http.get(f"{base}/entry/drafts/secret", page=True)
    with client(site, store=store) as http:  # a later run: robots.txt comes from raw/_state, not the network
        http.get(f"{base}/entry/2025/01/20/083000", page=True)
    assert site.count(r"^/robots\.txt") == 1
    assert site.count("drafts") == 0


def test_unreachable_robots_txt_disallows_everything(site: FixtureSite) -> None:
    site.fail(r"^/robots\.txt", *[Status(503)] * 10)
    with client(site, retries=1) as http, pytest.raises(RobotsDisallowedError):
        http.get(f"{site.hatena_base(BLOG)}/entry/2025/02/03/210000", page=True)


def test_connection_refused_is_retried_then_reported(site: FixtureSite) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    config = HttpConfig(**{**FAST, "retries": 2})
    sleeps = Sleeps()
    with PoliteClient(config, {f"http://127.0.0.1:{port}"}, sleep=sleeps) as http, \
            pytest.raises(FetchError, match=r"ConnectError.*gave up after 3 attempts") as info:
        http.get(f"http://127.0.0.1:{port}/feed")
    assert info.value.status is None and http.requests == 3


def test_tokens_stay_out_of_errors(site: FixtureSite) -> None:
    site.qiita_token = "qiita-secret-abc123"
    with client(site, tokens={site.qiita_api: "wrong-secret-xyz789"}) as http, pytest.raises(FetchError) as info:
        http.get(f"{site.qiita_api}/items/c3a1f0e9b27d4e8a5f61")
    assert info.value.status == 401 and "check the API token" in str(info.value)
    assert "secret" not in str(info.value) and "secret" not in repr(info.value.args)


def test_origins_spell_out_default_ports_and_token_scopes_stop_at_the_base_path() -> None:
    from notepipe.http import in_scope

    assert origin_of("https://Qiita.com/api/v2") == origin_of("https://qiita.com:443/x") == "https://qiita.com:443"
    assert origin_of("http://qiita.com/") != origin_of("https://qiita.com/"), "the scheme is part of the origin"
    assert in_scope("https://qiita.com/api/v2/items/1", "https://qiita.com/api/v2")
    assert not in_scope("https://qiita.com/api/v2x/items", "https://qiita.com/api/v2")
    assert not in_scope("http://qiita.com/api/v2/items", "https://qiita.com/api/v2")


def test_a_token_rides_only_under_its_base_even_across_a_same_origin_redirect(site: FixtureSite) -> None:
    site.fail("/items/", Redirect(raw_url(site)))
    with client(site, tokens={site.qiita_api: "tok-for-the-api"}) as http:
        assert http.get(f"{site.qiita_api}/items/c3a1f0e9b27d4e8a5f61").url == raw_url(site)
    assert [r.headers.get("authorization") for r in site.requests] == ["Bearer tok-for-the-api", None]


@pytest.mark.parametrize("head_too", [False, True], ids=["body", "headers"])
def test_the_deadline_bounds_the_whole_request_not_each_read(site: FixtureSite, head_too: bool) -> None:
    import time

    from notepipe.http import UnreachableError

    site.fail("2025-01-vit", Drip(0.05, headers=head_too))  # every read returns within 50 ms; the whole never
    started = time.monotonic()
    with client(site, timeout_s=5.0, deadline_s=0.5, retries=0) as http, \
            pytest.raises(UnreachableError, match=r"deadline_s=0\.5"):
        http.get(raw_url(site))
    assert time.monotonic() - started < 1.5
