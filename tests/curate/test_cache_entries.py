"""Cache entries and output writes: an entry is read only when whole, and curated/ outputs are replaced together."""

from __future__ import annotations

import errno
import hashlib
import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from notepipe._atomic import atomic_group
from notepipe.curate import read_entry, write_entry
from notepipe.jsonl import dumps
from notepipe.models import ErrorRecord, Record
from notepipe.normalize import normalize_bytes

# Two posts in one input, as a Qiita API list page holds several: written in our own words.
_LIST_PAGE = """[
 {"id": "a1b2c3d4e5f6a7b8c9d0", "title": "論文メモ: 注意機構", "body": "# 概要\\n\\n注意機構の論文 arXiv:1706.03762 を読んだ。",
  "created_at": "2024-04-01T09:00:00+09:00", "updated_at": "2024-04-01T09:00:00+09:00",
  "url": "https://qiita.com/ml-reader/items/a1b2c3d4e5f6a7b8c9d0", "user": {"id": "ml-reader"},
  "tags": [{"name": "論文"}]},
 {"id": "f0e1d2c3b4a596877869", "title": "BERT を読む", "body": "# 概要\\n\\n事前学習の論文 arXiv:1810.04805 のメモ。",
  "created_at": "2024-04-02T09:00:00+09:00", "updated_at": "2024-04-02T09:00:00+09:00",
  "url": "https://qiita.com/ml-reader/items/f0e1d2c3b4a596877869", "user": {"id": "ml-reader"},
  "tags": [{"name": "NLP"}]}
]"""


@pytest.fixture
def two_records() -> list[Record]:
    records = normalize_bytes(_LIST_PAGE.encode("utf-8"), source_path="raw/qiita/list.json")
    assert len(records) == 2
    return records


def _entry(tmp_path: Path, records: list[Record], errors: list[ErrorRecord] | None = None) -> Path:
    path = tmp_path / "entry.jsonl"
    write_entry(path, records, errors or [])
    return path


def test_a_whole_entry_reads_back(tmp_path: Path, two_records: list[Record]) -> None:
    entry = read_entry(_entry(tmp_path, two_records))
    assert entry is not None
    records, errors = entry
    assert [r.id for r in records] == [r.id for r in two_records] and errors == []
    assert [r.papers for r in records] == [tuple(r.papers) for r in two_records]


def test_an_entry_cut_short_at_a_line_end_is_not_read(tmp_path: Path, two_records: list[Record]) -> None:
    """Entries skip the fsync, so after a power loss one may hold only its first lines: every line is valid, and
    only the missing end line tells."""
    path = _entry(tmp_path, two_records)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    assert len(lines) == 3 and '"kind":"end"' in lines[-1]
    for keep in range(len(lines)):
        path.write_text("".join(lines[:keep]), "utf-8")
        assert read_entry(path) is None, f"{keep} of {len(lines)} lines were read as a whole entry"


def test_an_entry_with_lines_after_its_end_or_wrong_counts_is_not_read(tmp_path: Path,
                                                                       two_records: list[Record]) -> None:
    path = _entry(tmp_path, two_records)
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text("".join([lines[0], lines[2]]), "utf-8")  # a record line lost from the middle
    assert read_entry(path) is None
    path.write_text("".join([*lines, lines[1]]), "utf-8")  # a line after the end
    assert read_entry(path) is None


def test_record_lines_read_back_as_the_exact_output_bytes(tmp_path: Path, two_records: list[Record]) -> None:
    entry = read_entry(_entry(tmp_path, two_records))
    assert entry is not None
    assert [r.line for r in entry[0]] == [dumps(r).encode("utf-8") for r in two_records]
    assert all(b"\n" not in r.line and b"\t" not in r.line for r in entry[0])


def _resealed(body: bytes, records: int, errors: int) -> bytes:
    """An entry with a freshly computed end line: only the header checks can refuse it."""
    end = {"kind": "end", "records": records, "errors": errors, "sha256": hashlib.sha256(body).hexdigest()}
    return body + json.dumps(end, separators=(",", ":")).encode() + b"\n"


@pytest.mark.parametrize(("damage", "malformed"), [
    pytest.param(lambda head: head.replace(b'"kind":"record"', b'"kind":"recrod"'), True, id="unknown kind"),
    pytest.param(lambda head: head.replace(b'"papers":[', b'"papers":[7,'), True, id="paper not an object"),
    pytest.param(lambda head: head.replace(b'"lang":"ja"', b'"lang":1'), True, id="lang not a string"),
    pytest.param(lambda head: head[:-3], True, id="header JSON cut"),
    pytest.param(lambda head: head.replace(b'"papers":', b'"extra":1,"papers":'), True, id="unknown field"),
    pytest.param(lambda head: head.replace(b'"id":"', b'"id":"x'), False, id="header edited, line intact"),
])
def test_an_entry_with_a_damaged_header_is_not_read(tmp_path: Path, two_records: list[Record],
                                                    damage: Callable[[bytes], bytes], malformed: bool) -> None:
    path = _entry(tmp_path, two_records)
    first, rest = path.read_bytes().split(b"\n", 1)
    head, line = first.split(b"\t")
    assert damage(head) != head
    path.write_bytes(damage(head) + b"\t" + line + b"\n" + rest)
    assert read_entry(path) is None  # the end line's sha256 no longer matches
    if malformed:  # and even with a matching checksum, a header that is not a header is refused
        body = damage(head) + b"\t" + line + b"\n" + rest.split(b"\n")[0] + b"\n"
        path.write_bytes(_resealed(body, 2, 0))
        assert read_entry(path) is None
        path.write_bytes(_resealed(first + b"\n" + rest.split(b"\n")[0] + b"\n", 2, 0))
        assert read_entry(path) is not None  # (the same resealing of an undamaged body reads)


def test_an_entry_with_a_damaged_end_line_is_not_read(tmp_path: Path, two_records: list[Record]) -> None:
    path = _entry(tmp_path, two_records)
    data = path.read_bytes()
    for bad in (b'"records":"2"', b'"records":2.5', b'"records":null', b'"records":3'):
        path.write_bytes(data.replace(b'"records":2', bad))
        assert read_entry(path) is None, bad
    path.write_bytes(data[:-1])  # no final newline: the end line may be cut
    assert read_entry(path) is None
    assert "を".encode() in data
    path.write_bytes(data.replace("を".encode(), "ん".encode(), 1))
    assert read_entry(path) is None  # one character of a record line changed: the end line's sha256 sees it


def test_an_error_entry_reads_back(tmp_path: Path) -> None:
    error = ErrorRecord(source_path="raw/x.html", stage="extract", error="EmptyInputError", message="no post")
    entry = read_entry(_entry(tmp_path, [], [error]))
    assert entry == ([], [error])


def test_a_group_write_replaces_all_files_or_none(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    a, b, c = (tmp_path / "out" / name for name in ("a.jsonl", "b.jsonl", "manifest.json"))
    with atomic_group() as write:
        for path in (a, b, c):
            write(path, b"old\n")
    calls = 0

    def full_disk(fd: int) -> None:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        os.fsync(fd)

    monkeypatch.setattr(os, "fsync", full_disk)
    with pytest.raises(OSError, match="No space left"), atomic_group() as write:
        for path in (a, b, c):
            write(path, b"new\n")
    assert [p.read_bytes() for p in (a, b, c)] == [b"old\n"] * 3
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.jsonl", "b.jsonl", "manifest.json"]
    monkeypatch.undo()
    with pytest.raises(RuntimeError), atomic_group() as write:  # the block itself fails after staging
        write(a, b"newer\n")
        raise RuntimeError("assembling failed")
    assert a.read_bytes() == b"old\n" and len(list((tmp_path / "out").iterdir())) == 3
    with atomic_group() as write:
        for path in (a, b, c):
            write(path, b"new\n")
    assert [p.read_bytes() for p in (a, b, c)] == [b"new\n"] * 3
