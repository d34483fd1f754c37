"""Every extractor on our site-shaped fixtures: metadata right, body kept, chrome gone, bad input rejected."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from notepipe.formats import EmptyInputError, FormatError, Input, UndecodableError, decode, extract
from notepipe.models import Record
from notepipe.normalize import normalize_bytes

FIXTURES = Path(__file__).parents[1] / "fixtures" / "formats"
EXPECTED: dict[str, dict[str, Any]] = json.loads((FIXTURES / "expected.json").read_text("utf-8"))
GOOD = sorted(k for k, v in EXPECTED.items() if not v.get("error"))
BAD = sorted(k for k, v in EXPECTED.items() if v.get("error"))


def _records(name: str) -> list[Record]:
    return normalize_bytes((FIXTURES / name).read_bytes(), source_path=name)


def _record(name: str) -> Record:
    return _records(name)[0]


def test_at_least_two_fixtures_per_site_and_format() -> None:
    formats = [EXPECTED[name]["format"] for name in GOOD]
    for fmt in ("qiita-api", "qiita-html", "qiita-text", "hatena-html", "hatena-blogsync", "hatena-text",
                "github-markdown", "github-html", "github-text"):
        assert formats.count(fmt) >= 2, fmt


@pytest.mark.parametrize("name", GOOD)
def test_metadata(name: str) -> None:
    want = EXPECTED[name]
    rec = _record(name)
    if want["source"] != "unknown" and want["format"] != "github-markdown":  # raw markdown carries no site marks
        assert rec.source == want["source"]
    assert rec.title == want["title"]
    assert rec.lang == want["lang"]
    for field, key in (("published_at", "published"), ("updated_at", "updated")):
        if want.get(key):
            assert (getattr(rec, field) or "").startswith(want[key]), field
    if want.get("url") and want["format"] not in {"qiita-text", "hatena-text", "github-text", "github-markdown"}:
        assert rec.url == want["url"]
    if want.get("author") and want["format"].endswith(("-api", "-html")):
        assert rec.author == want["author"]
    if want.get("tags") and want["format"].endswith(("-api", "-html", "-blogsync")):
        assert rec.tags == want["tags"]


@pytest.mark.parametrize("name", GOOD)
def test_body_kept_and_chrome_removed(name: str) -> None:
    want = EXPECTED[name]
    rec = _record(name)
    for snippet in want["contains"]:
        assert snippet in rec.text, f"lost: {snippet!r}"
    lines = {line.strip() for line in rec.text.split("\n")}
    for chrome in want["absent"]:
        assert chrome not in rec.text and chrome.strip() not in lines, f"chrome left: {chrome!r}"
    if rec.title:
        assert not rec.text.startswith(rec.title)


@pytest.mark.parametrize("name", GOOD)
def test_code_blocks_are_language_free_segments(name: str) -> None:
    rec = _record(name)
    code = [s for s in rec.segments if s.kind == "code"]
    assert all(s.lang == "und" for s in code)
    assert all(s.text in rec.text for s in code)


def test_qiita_page_never_duplicates_the_raw_markdown_textarea() -> None:
    for name in (n for n in GOOD if EXPECTED[n]["format"] == "qiita-html"):
        rec = _record(name)
        first = next(s.text for s in rec.segments if s.kind == "text" and len(s.text) > 20)
        assert rec.text.count(first) == 1, name


@pytest.mark.parametrize("name", ["qiita/page_modern_dpo.html", "qiita/page_2017_resnet.html"])
def test_qiita_tags_come_from_the_article_header_not_sidebars_or_prose(name: str) -> None:
    """Real pages put trending tags and related posts' tag links in sidebars, and prose may link a tag page;
    only the article's own tag list is the post's."""
    page = (FIXTURES / name).read_text("utf-8")
    sidebar = ('<aside><h2>Trending tags</h2><a href="/tags/rust">Rust</a><ul class="TagList">'
               '<li><a href="/tags/go">Go</a></li></ul></aside>')
    prose = '<p>タグページ <a href="/tags/python">Python</a> も参考に。</p>'
    marker = next(m for m in ('<div class="mdContent-inner">', 'itemprop="articleBody">') if m in page)
    assert marker in page
    page = page.replace(marker, marker + prose, 1).replace("</body>", sidebar + "</body>", 1)
    record = normalize_bytes(page.encode("utf-8"), source_path=name)[0]
    assert record.tags == EXPECTED[name]["tags"]
    assert "Python" in record.text


def test_api_list_page_gives_one_record_per_item() -> None:
    for name in (n for n in EXPECTED if EXPECTED[n].get("format") == "qiita-list"):
        records = _records(name)
        assert len(records) >= 2
        assert len({r.id for r in records}) == len(records)
        assert all(r.id.startswith("qiita:") for r in records)


@pytest.mark.parametrize("name", BAD)
def test_bad_inputs_raise_clear_errors(name: str) -> None:
    with pytest.raises((EmptyInputError, FormatError, UndecodableError)) as exc:
        _records(name)
    assert str(exc.value)


def test_detection_is_by_content_not_extension() -> None:
    html = (FIXTURES / "qiita" / next(n.split("/")[-1] for n in GOOD if EXPECTED[n]["format"] == "qiita-html"))
    [ex] = extract(Input(text=html.read_text("utf-8"), path="saved_page.txt"))
    assert ex.format == "qiita-html"


@pytest.mark.parametrize("path", ["notes/2024-05-attention.txt", "attention-memo", None])
def test_front_matter_makes_a_file_markdown_whatever_its_name_or_body(path: str | None) -> None:
    """A note with front matter and a body of plain sentences (no markdown syntax at all) is still markdown:
    its title, date and tags come from the front matter, and the front matter is not part of the body."""
    text = ("---\ntitle: 注意機構の論文を読み直した\ndate: 2024-05-02\ntags: [論文, NLP]\n---\n"
            "Attention Is All You Need を読み直した。\n位置エンコーディングの扱いが今でも参考になる。\n")
    [ex] = extract(Input(text=text, path=path))
    assert (ex.format, ex.title, ex.tags) == ("markdown", "注意機構の論文を読み直した", ("論文", "NLP"))
    assert ex.published_at is not None and ex.published_at.startswith("2024-05-02")
    assert "title:" not in ex.body and ex.body.startswith("Attention Is All You Need")
    plain = "---\nこれは区切り線の間のただの文です。\n---\n本文も普通の文章だけ。\n"  # a rule, not front matter
    [ex] = extract(Input(text=plain, path=path))
    assert ex.format == "text" and "区切り線" in ex.body


def test_legacy_encodings_decode() -> None:
    text = "論文を読んだメモです。" * 5
    assert decode(text.encode("cp932")) == text
    assert decode(text.encode("euc_jp")) == text
    assert decode("논문을 읽었다".encode("cp949") * 5) == "논문을 읽었다" * 5
    with pytest.raises(UndecodableError, match="UTF-8"):
        decode(bytes(range(128, 256)) * 3)
