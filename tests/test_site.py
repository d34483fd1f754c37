"""The loopback fixture site itself: shapes, pagination, conditional requests, rate limits, faults, mutation."""

from __future__ import annotations

import hashlib
import re
import socket
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator

import httpx
import pytest
from bs4 import BeautifulSoup

from tests.site import DEFAULT_ROBOTS, Body, Drop, FixtureSite, Redirect, Slow, Status, Truncate

ATOM = "{http://www.w3.org/2005/Atom}"
PAPERMEMO = "papermemo.hatenablog.com"
REPO = "ko-reader/paper-notes"


def feed_entries(text: str) -> tuple[list[ET.Element], str | None]:
    """The <entry> elements and the rel=next href of an Atom page."""
    root = ET.fromstring(text)
    nxt = next((link.get("href") for link in root.findall(f"{ATOM}link") if link.get("rel") == "next"), None)
    return root.findall(f"{ATOM}entry"), nxt


@pytest.fixture(scope="module")
def http() -> Iterator[httpx.Client]:
    """One client for the module (building a client per request costs ~20 ms of TLS setup)."""
    with httpx.Client(timeout=5) as client:
        yield client


# Qiita ---------------------------------------------------------------------------------------------------------------


def test_qiita_pagination_walks_link_next(site: FixtureSite, http: httpx.Client) -> None:
    url: str | None = f"{site.qiita_api}/users/mlnotes_ja/items?page=1&per_page=2"
    pages: list[list[dict[str, object]]] = []
    while url:
        r = http.get(url)
        assert r.status_code == 200
        assert r.headers["content-type"] == "application/json; charset=utf-8"
        assert r.headers["total-count"] == "5"
        assert r.links["first"]["url"].endswith("page=1&per_page=2")
        assert r.links["last"]["url"].endswith("page=3&per_page=2")
        assert ("prev" in r.links) == (len(pages) > 0)
        pages.append(r.json())
        url = r.links.get("next", {}).get("url")
    assert [len(p) for p in pages] == [2, 2, 1]
    items = [i for p in pages for i in p]
    assert [i["created_at"] for i in items] == sorted((i["created_at"] for i in items), reverse=True)
    assert all(re.fullmatch(r"[0-9a-f]{20}", str(i["id"])) for i in items)
    first = items[0]
    assert first["id"] == "c3a1f0e9b27d4e8a5f61"
    assert first["url"] == "https://qiita.com/mlnotes_ja/items/c3a1f0e9b27d4e8a5f61"
    assert first["created_at"] == "2025-03-04T10:20:30+09:00"
    assert first["page_views_count"] is None and first["private"] is False and first["group"] is None
    assert {"name": "Transformer", "versions": []} in first["tags"]  # type: ignore[operator]
    assert "https://arxiv.org/abs/1706.03762" in str(first["body"])
    assert 'class="code-frame"' in str(first["rendered_body"]) and 'rel="nofollow noopener"' in str(first["rendered_body"])
    assert sum(bool(re.search("[가-힣]", str(i["title"]))) for i in items) == 1


def test_qiita_bad_paging_unknown_and_empty_users(site: FixtureSite, http: httpx.Client) -> None:
    api = site.qiita_api
    for query in ("page=101", "per_page=101", "page=0", "page=x"):
        r = http.get(f"{api}/users/mlnotes_ja/items?{query}")
        assert (r.status_code, r.json()) == (400, {"message": "Bad request", "type": "bad_request"})
    r = http.get(f"{api}/users/nobody/items")
    assert (r.status_code, r.json()) == (404, {"message": "Not found", "type": "not_found"})
    r = http.get(f"{api}/items/ffffffffffffffffffff")
    assert r.status_code == 404
    r = http.get(f"{api}/users/empty_user/items")
    assert (r.status_code, r.json(), r.headers["total-count"]) == (200, [], "0")
    assert "next" not in r.links


def test_qiita_etag_gives_304_with_rate_headers(site: FixtureSite, http: httpx.Client) -> None:
    for url in (f"{site.qiita_api}/items/0f7d9c2a64e1b83d7c55", f"{site.qiita_api}/users/mlnotes_ja/items"):
        r = http.get(url)
        etag = r.headers["etag"]
        assert etag.startswith('W/"') and r.headers["cache-control"] == "max-age=0, private, must-revalidate"
        again = http.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b""
        assert int(again.headers["rate-remaining"]) == int(r.headers["rate-remaining"]) - 1
    item = http.get(f"{site.qiita_api}/items/0f7d9c2a64e1b83d7c55").json()
    assert item["title"].startswith("[논문 리뷰] CLIP") and "https://arxiv.org/abs/2103.00020" in item["body"]


def test_qiita_rate_decrements_then_403_then_refills(site: FixtureSite, http: httpx.Client) -> None:
    url = f"{site.qiita_api}/users/mlnotes_ja/items"
    assert [http.get(url).headers["rate-remaining"] for _ in range(2)] == ["59", "58"]
    site.set_rate(1, 60)
    r = http.get(url)
    assert (r.status_code, r.headers["rate-remaining"]) == (200, "0")
    r = http.get(url)
    assert r.status_code == 403
    assert r.json() == {"message": "Rate limit exceeded", "type": "rate_limit_exceeded"}
    assert r.headers["rate-limit"] == "60" and int(r.headers["rate-reset"]) >= time.time() + 59
    site.set_rate(0, 0.05)
    time.sleep(0.1)
    r = http.get(url)
    assert (r.status_code, r.headers["rate-remaining"]) == (200, "59")


def test_qiita_token(site: FixtureSite, http: httpx.Client) -> None:
    site.qiita_token = "s3cret"
    url = f"{site.qiita_api}/items/8e4b2d07f1c9a3365b10"
    r = http.get(url, headers={"Authorization": "Bearer s3cret"})
    assert (r.status_code, r.headers["rate-limit"], r.headers["rate-remaining"]) == (200, "1000", "999")
    r = http.get(url, headers={"Authorization": "Bearer wrong"})
    assert (r.status_code, r.json()) == (401, {"message": "Unauthorized", "type": "unauthorized"})
    assert http.get(url).headers["rate-limit"] == "60"


def test_qiita_mutation(site: FixtureSite, http: httpx.Client) -> None:
    url = f"{site.qiita_api}/items/5b20e8f3a9d7c1046e2f"
    before = http.get(url)
    site.update_qiita_item("5b20e8f3a9d7c1046e2f", body="## 追記\n\n本文を更新しました。")
    after = http.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["etag"] != before.headers["etag"]
    assert after.json()["updated_at"] > before.json()["updated_at"] and after.json()["body"].startswith("## 追記")
    new_id = site.add_qiita_item("mlnotes_ja", title="新しい論文メモ", body="https://arxiv.org/abs/2305.18290 を読んだ。")
    r = http.get(f"{site.qiita_api}/users/mlnotes_ja/items")
    assert r.json()[0]["id"] == new_id and r.headers["total-count"] == "6"
    assert re.fullmatch(r"[0-9a-f]{20}", new_id)


# Hatena Blog ---------------------------------------------------------------------------------------------------------


def test_hatena_feed_pages_by_epoch(site: FixtureSite, http: httpx.Client) -> None:
    base = site.hatena_base(PAPERMEMO)
    r = http.get(f"{base}/feed")
    assert r.headers["content-type"] == "application/atom+xml; charset=utf-8"
    root = ET.fromstring(r.text)
    assert root.get("{http://www.w3.org/XML/1998/namespace}lang") == "ja"
    assert root.findtext(f"{ATOM}generator") == "Hatena::Blog"
    assert root.findtext(f"{ATOM}id", "").startswith("hatenablog://blog/")
    links: list[str] = []
    url: str | None = f"{base}/feed"
    while url:
        entries, url = feed_entries(http.get(url).text)
        assert len(entries) <= 3
        links += [str(e.find(f"{ATOM}link").get("href")) for e in entries]  # type: ignore[union-attr]
    assert [link.removeprefix(base) for link in links] == [
        "/entry/2025/02/03/210000", "/entry/2025/01/20/083000", "/entry/drafts/secret",
        "/entry/2025/01/05/120000", "/entry/2024/12/24/190000",
    ]
    first = feed_entries(r.text)[0][0]
    assert re.fullmatch(r"hatenablog://entry/\d+", first.findtext(f"{ATOM}id", ""))
    assert first.findtext(f"{ATOM}published") == "2025-02-03T21:00:00+09:00"
    assert first.find(f"{ATOM}category").attrib == {"term": "論文紹介", "label": "論文紹介"}  # type: ignore[union-attr]
    assert 'href="https://arxiv.org/abs/2006.11239"' in first.findtext(f"{ATOM}content", "")
    ko_entries, ko_next = feed_entries(http.get(f"{site.hatena_base('hanabi-ko.hateblo.jp')}/feed").text)
    assert len(ko_entries) == 2 and ko_next is None
    assert ko_entries[0].findtext(f"{ATOM}title") == "GPT-3 논문 리뷰: Language Models are Few-Shot Learners"


def test_hatena_conditional_requests(site: FixtureSite, http: httpx.Client) -> None:
    for path in ("/feed", "/entry/2025/01/20/083000"):
        url = site.hatena_base(PAPERMEMO) + path
        r = http.get(url)
        assert r.status_code == 200 and "etag" in r.headers
        assert http.get(url, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
        assert http.get(url, headers={"If-Modified-Since": r.headers["last-modified"]}).status_code == 304
        old = "Mon, 01 Jan 2024 00:00:00 GMT"
        assert http.get(url, headers={"If-Modified-Since": old}).status_code == 200


def test_hatena_entry_page_structure(site: FixtureSite, http: httpx.Client) -> None:
    url = site.hatena_base(PAPERMEMO) + "/entry/2025/02/03/210000"
    r = http.get(url)
    assert r.headers["content-type"] == "text/html; charset=utf-8"
    soup = BeautifulSoup(r.text, "html.parser")
    html = soup.html
    assert html is not None and html["lang"] == "ja" and html["data-page"] == "entry" and html["data-blog"] == PAPERMEMO
    assert soup.select_one('meta[property="og:url"]')["content"] == url  # type: ignore[index]
    assert soup.select_one('link[rel="canonical"]')["href"] == url  # type: ignore[index]
    article = soup.select_one("article.entry.hentry")
    assert article is not None
    assert article.select_one("header.entry-header div.date.entry-date.first > a > time")["datetime"] == "2025-02-03T12:00:00Z"  # type: ignore[index]
    title = article.select_one("h1.entry-title > a.entry-title-link.bookmark")
    assert title is not None and title.get_text(strip=True) == "【論文メモ】Denoising Diffusion Probabilistic Models"
    assert [a.get_text() for a in article.select("div.entry-categories.categories a.entry-category-link")] == ["論文紹介"]
    body = article.select_one("div.entry-content.hatenablog-entry")
    assert body is not None and body.select_one('pre.code.lang-python[data-lang="python"]') is not None
    assert body.select_one('a[href="https://arxiv.org/abs/2006.11239"]') is not None
    assert article.select_one("footer.entry-footer .hatena-star-container") is not None
    assert soup.select(".hatena-module") and "読者になる" in r.text
    assert http.get(site.hatena_base(PAPERMEMO) + "/entry/2099/01/01/000000").status_code == 404


def test_hatena_mutation(site: FixtureSite, http: httpx.Client) -> None:
    base = site.hatena_base(PAPERMEMO)
    before = http.get(f"{base}/feed")
    site.update_hatena_entry(PAPERMEMO, "/entry/2025/01/05/120000", html="<p>更新しました。</p>")
    after = http.get(f"{base}/feed", headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.headers["last-modified"] != before.headers["last-modified"]
    _, next_page = feed_entries(after.text)
    assert next_page is not None
    entries, _ = feed_entries(http.get(next_page).text)
    unet = next(e for e in entries if str(e.find(f"{ATOM}link").get("href")).endswith("/entry/2025/01/05/120000"))  # type: ignore[union-attr]
    assert unet.findtext(f"{ATOM}updated", "") > "2025-02-04T08:12:00+09:00"
    path = site.add_hatena_entry(PAPERMEMO, title="新着：DPO の論文", html="<p>https://arxiv.org/abs/2305.18290</p>")
    newest, _ = feed_entries(http.get(f"{base}/feed").text)
    assert newest[0].find(f"{ATOM}link").get("href") == base + path  # type: ignore[union-attr]
    assert http.get(base + path).status_code == 200


def test_robots(site: FixtureSite, http: httpx.Client) -> None:
    r = http.get(f"{site.base}/robots.txt")
    assert r.text == DEFAULT_ROBOTS == "User-agent: *\nDisallow: /hatena/papermemo.hatenablog.com/entry/drafts/\n"
    site.set_robots("User-agent: *\nDisallow: /\n")
    assert http.get(f"{site.base}/robots.txt").text == "User-agent: *\nDisallow: /\n"


# GitHub --------------------------------------------------------------------------------------------------------------


def test_github_repo_tree_and_rate(site: FixtureSite, http: httpx.Client) -> None:
    repo = http.get(f"{site.github_api}/repos/{REPO}")
    assert repo.json()["default_branch"] == "main" and repo.json()["full_name"] == REPO
    assert repo.headers["x-ratelimit-remaining"] == "59" and repo.headers["x-ratelimit-resource"] == "core"
    url = f"{site.github_api}/repos/{REPO}/git/trees/main?recursive=1"
    tree = http.get(url)
    assert tree.headers["content-type"] == "application/json; charset=utf-8"
    body = tree.json()
    assert body["truncated"] is False and re.fullmatch(r"[0-9a-f]{40}", body["sha"])
    blobs = {e["path"]: e for e in body["tree"] if e["type"] == "blob"}
    assert sorted(blobs) == ["README.md", "reviews/2025-01-vit.md", "reviews/2025-02-lora.md",
                             "reviews/img/fig1.png", "reviews/日本語/clip.md", "scripts/tool.py"]
    assert {e["path"] for e in body["tree"] if e["type"] == "tree"} == {"reviews", "reviews/img", "reviews/日本語", "scripts"}
    raw = http.get(f"{site.github_raw}/{REPO}/main/reviews/2025-01-vit.md").content
    assert blobs["reviews/2025-01-vit.md"]["sha"] == hashlib.sha1(b"blob %d\0" % len(raw) + raw).hexdigest()
    assert blobs["reviews/2025-01-vit.md"]["size"] == len(raw) and blobs["README.md"]["mode"] == "100644"
    cached = http.get(url, headers={"If-None-Match": tree.headers["etag"]})
    assert cached.status_code == 304 and cached.headers["x-ratelimit-remaining"] == "58"
    top = http.get(f"{site.github_api}/repos/{REPO}/git/trees/main").json()
    assert [e["path"] for e in top["tree"]] == ["README.md", "reviews", "scripts"]
    expected = {"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"}
    for bad in (f"repos/{REPO}/git/trees/dev?recursive=1", "repos/nobody/nothing"):
        r = http.get(f"{site.github_api}/{bad}")
        assert (r.status_code, r.json()) == (404, expected)
    site.set_github_rate(0, 60)
    assert http.get(f"{site.github_api}/repos/{REPO}").status_code == 403


def test_github_raw_decodes_non_ascii_path(site: FixtureSite, http: httpx.Client) -> None:
    r = http.get(f"{site.github_raw}/{REPO}/main/reviews/日本語/clip.md")
    assert "%E6%97%A5%E6%9C%AC%E8%AA%9E" in site.requests[-1].path
    assert r.status_code == 200 and r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.text.startswith("# CLIP 論文メモ\n")
    assert http.get(r.url, headers={"If-None-Match": r.headers["etag"]}).status_code == 304
    png = http.get(f"{site.github_raw}/{REPO}/main/reviews/img/fig1.png")
    assert png.content.startswith(b"\x89PNG\r\n\x1a\n")
    assert http.get(f"{site.github_raw}/{REPO}/main/missing.md").status_code == 404


def test_github_mutation(site: FixtureSite, http: httpx.Client) -> None:
    url = f"{site.github_api}/repos/{REPO}/git/trees/main?recursive=1"
    before = http.get(url)
    site.update_github_file(REPO, "reviews/2025-02-lora.md", "# LoRA 논문 리뷰 (수정)\n")
    site.add_github_file(REPO, "reviews/2025-03-dpo.md", "# DPO 논문 리뷰\n")
    after = http.get(url, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200 and after.json()["sha"] != before.json()["sha"]
    old = {e["path"]: e["sha"] for e in before.json()["tree"]}
    new = {e["path"]: e["sha"] for e in after.json()["tree"]}
    assert new["reviews/2025-02-lora.md"] != old["reviews/2025-02-lora.md"] and new["README.md"] == old["README.md"]
    assert "reviews/2025-03-dpo.md" in new
    with pytest.raises(KeyError):
        site.update_github_file(REPO, "nope.md", "x")


# Faults and the request log ------------------------------------------------------------------------------------------


def test_status_and_slow_faults_are_used_once_in_order(site: FixtureSite, http: httpx.Client) -> None:
    site.fail(r"/items/d94c61a0e7f2b58c3a18$", Status(429, {"Retry-After": "1"}), Status(503), Slow(0.2))
    url = f"{site.qiita_api}/items/d94c61a0e7f2b58c3a18"
    r = http.get(url)
    assert (r.status_code, r.headers["retry-after"]) == (429, "1")
    assert http.get(url).status_code == 503
    assert http.get(f"{site.qiita_api}/items/c3a1f0e9b27d4e8a5f61").status_code == 200  # no match: normal
    start = time.monotonic()
    assert http.get(url).status_code == 200 and time.monotonic() - start >= 0.2
    assert http.get(url).status_code == 200
    assert site.count(r"/items/d94c61a0e7f2b58c3a18") == 4 and site.count("c3a1f0") == 1


def test_truncate_and_drop_faults(site: FixtureSite, http: httpx.Client) -> None:
    url = f"{site.github_raw}/{REPO}/main/README.md"
    site.fail("README", Truncate(10), Drop())
    with pytest.raises(httpx.RemoteProtocolError, match=r"complete message body"):
        http.get(url)
    with pytest.raises(httpx.RemoteProtocolError):
        http.get(url)
    assert http.get(url).text.startswith("# paper-notes")


def test_redirect_to_other_host_and_body_faults(site: FixtureSite, http: httpx.Client) -> None:
    site.fail("/feed", Redirect(f"{site.other_base}/elsewhere?x=1"), Body(b"<html>oops</html>"))
    feed = site.hatena_base(PAPERMEMO) + "/feed"
    r = http.get(feed)
    assert (r.status_code, r.headers["location"]) == (302, f"{site.other_base}/elsewhere?x=1")
    assert site.other_requests == []
    r = http.get(feed)
    assert (r.status_code, r.text, r.headers["content-type"]) == (200, "<html>oops</html>", "text/html; charset=utf-8")
    assert "etag" not in r.headers
    site.fail("/feed", Redirect(f"{site.other_base}/elsewhere"))
    r = http.get(feed, follow_redirects=True)
    assert r.text == "other host: /elsewhere\n"
    assert [(q.method, q.path) for q in site.other_requests] == [("GET", "/elsewhere")]
    assert site.other_base != site.base and site.other_base.startswith("http://127.0.0.1:")


def test_request_log_and_errors(site: FixtureSite, http: httpx.Client) -> None:
    http.get(f"{site.qiita_api}/users/mlnotes_ja/items?page=1&per_page=5", headers={"X-Test": "yes"})
    req = site.requests[-1]
    assert (req.method, req.path) == ("GET", "/qiita/api/v2/users/mlnotes_ja/items?page=1&per_page=5")
    assert req.headers["x-test"] == "yes" and all(k == k.lower() for k in req.headers)
    assert http.head(f"{site.base}/robots.txt").content == b""
    assert http.post(f"{site.base}/robots.txt").status_code == 405
    assert http.get(f"{site.base}/nowhere").status_code == 404
    assert site.errors == []


def test_context_manager_and_stop_are_clean(http: httpx.Client) -> None:
    with FixtureSite(hatena_page_size=2) as s:
        entries, nxt = feed_entries(http.get(s.hatena_base(PAPERMEMO) + "/feed").text)
        assert len(entries) == 2 and nxt is not None
        base = s.base
    s.stop()  # idempotent
    with pytest.raises(httpx.ConnectError):
        http.get(f"{base}/robots.txt")


def test_raw_utf8_request_line_is_decoded_too(site: FixtureSite) -> None:
    port = int(site.base.rsplit(":", 1)[1])
    with socket.create_connection(("127.0.0.1", port), timeout=5) as conn:
        path = f"/github/raw/{REPO}/main/reviews/日本語/clip.md"
        conn.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        reply = b""
        while chunk := conn.recv(65536):
            reply += chunk
    assert reply.startswith(b"HTTP/1.1 200 ") and "# CLIP 論文メモ".encode() in reply
