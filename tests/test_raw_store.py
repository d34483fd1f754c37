"""raw/: ids from the network can never escape it; snapshots are immutable and content-addressed; one writer."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from notepipe.errors import LockedError
from notepipe.raw_store import RawStore, safe_component

HOSTILE = ["../../etc/passwd", "/etc/passwd", "..", ".", "", "a/../../b", "nul\x00byte", "x" * 5000,
           "ｅｎｔｒｙ／．．／．．", "entry\\..\\..\\win", ".hidden", "C:\\Windows\\system32", "%2e%2e%2f"]


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_component_is_one_plain_component(value: str) -> None:
    out = safe_component(value)
    assert out and out not in {".", ".."} and not out.startswith(".")
    assert "/" not in out and "\\" not in out and "\x00" not in out
    assert out.isascii() and len(out) <= 120


def test_distinct_ids_stay_distinct() -> None:
    ids = ["entry/2025/01/01/000000", "entry_2025_01_01_000000", "x" * 300, "x" * 299 + "y"]
    assert len({safe_component(i) for i in ids}) == len(ids)


@pytest.mark.parametrize("value", HOSTILE)
def test_put_never_writes_outside_raw(tmp_path: Path, value: str) -> None:
    store = RawStore(tmp_path / "raw")
    meta, created = store.put(b"body", ext="../../md", key=f"hatena:{value}", source="hatena", author=value,
                              native_id=value, fetched_url="http://127.0.0.1/x")
    assert created
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(p.resolve().is_relative_to((tmp_path / "raw").resolve()) for p in written)
    assert (store.root / meta.path).read_bytes() == b"body"


def test_same_bytes_are_stored_once_and_new_bytes_are_a_new_version(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    fields = {"ext": "json", "key": "qiita:abc", "source": "qiita", "author": "u", "native_id": "abc",
              "fetched_url": "http://127.0.0.1/api/v2/users/u/items?page=1"}
    first, new1 = store.put(b'{"v": 1}', **fields)
    again, new2 = store.put(b'{"v": 1}', **fields)
    second, new3 = store.put(b'{"v": 2}', **fields)
    assert (new1, new2, new3) == (True, False, True)
    assert again == first and second.path != first.path
    assert {m.sha256 for m in store.snapshots()} == {first.sha256, second.sha256}
    snapshot = store.root / first.path
    sidecar = json.loads(snapshot.with_name(f"{snapshot.stem}.meta.json").read_text("utf-8"))
    assert sidecar["sha256"] == first.sha256 and sidecar["size"] == 8


def test_orphan_snapshot_without_sidecar_is_completed_by_the_next_put(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    fields = {"ext": "md", "key": "github:o/r/a.md", "source": "github", "author": "o", "native_id": "r/a.md",
              "fetched_url": "http://127.0.0.1/raw/o/r/main/a.md"}
    meta, _ = store.put(b"# a\n", **fields)
    snapshot = store.root / meta.path
    sidecar = snapshot.with_name(f"{snapshot.stem}.meta.json")
    sidecar.unlink()  # as if the process died between the two renames
    assert list(store.snapshots()) == []
    _, created = store.put(b"# a\n", **fields)
    assert created and [m.sha256 for m in store.snapshots()] == [meta.sha256]


def test_local_files_exclude_managed_folders_and_state(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    store.put(b"x", ext="md", key="github:o/r/x.md", source="github", author="o", native_id="r/x.md",
              fetched_url="http://127.0.0.1/x")
    store.save_state("qiita:u", {"cursor": "http://127.0.0.1/p=2"})
    (store.root / "samples").mkdir()
    (store.root / "samples" / "post.md").write_text("# post\n", encoding="utf-8")
    assert [p.name for p in store.local_files(frozenset({".md", ".json"}))] == ["post.md"]
    assert store.load_state("qiita:u") == {"cursor": "http://127.0.0.1/p=2"}
    assert store.load_state("hatena:never") == {}


def test_second_writer_is_refused(tmp_path: Path) -> None:
    store = RawStore(tmp_path / "raw")
    with store.lock(), pytest.raises(LockedError, match="another notepipe run"), RawStore(tmp_path / "raw").lock():
        pass
    with store.lock():  # released: free again
        pass
