"""Dates as sites write them become ISO 8601, and a served Content-Type charset decodes the bytes (public API)."""

from __future__ import annotations

import hashlib

import pytest

from notepipe import Input, RawMeta, extract, normalize_bytes


def _updated_at(value: str) -> str | None:
    text = f'---\ntitle: t\nupdated_at: "{value}"\n---\n\n# T\n\nSome body text.\n'
    return extract(Input(text=text, path="post.md"))[0].updated_at


@pytest.mark.parametrize(("written", "iso"), [
    ("2024-01-05", "2024-01-05"),
    ("2024-1-5", "2024-01-05"),
    ("Posted at 2024-01-05 on the blog", "2024-01-05"),
    ("2024-01-05T09:05:07Z", "2024-01-05T09:05:07+00:00"),
    ("2024-01-05 9:05 +0900", "2024-01-05T09:05:00+09:00"),
    ("2024-01-05T09:05:07.123+09:00", "2024-01-05T09:05:07+09:00"),
    ("2024-01-05T09:05:07", "2024-01-05T09:05:07"),
    ("2024年1月5日", "2024-01-05"),
    ("2024/01/05", "2024-01-05"),
    ("2024년 1월 5일", "2024-01-05"),
    ("2024-02-30", None),
    ("20240105", None),
    ("2024-W01-1", None),
    ("soon", None),
])
def test_dates_become_iso_8601(written: str, iso: str | None) -> None:
    assert _updated_at(written) == iso


@pytest.mark.parametrize("media_type", ["text/markdown; charset=EUC-JP", 'text/markdown;charset="euc-jp"'])
def test_the_served_charset_decodes_the_snapshot(media_type: str) -> None:
    data = "# 論文メモ\n\n注意機構の論文を読んだ。\n".encode("euc_jp")
    meta = RawMeta(key="file:x", source="unknown", author="a", native_id="x", fetched_url="http://127.0.0.1/x.md",
                   fetched_at="2024-01-05T00:00:00.000000+00:00", status=200, sha256=hashlib.sha256(data).hexdigest(),
                   size=len(data), media_type=media_type, path="x.md")
    [record] = normalize_bytes(data, meta=meta)
    assert "注意機構の論文を読んだ。" in record.text
