"""curate end to end: sidecar hints, latest versions, verification, errors, caching and byte-identical output."""

from __future__ import annotations

import hashlib
import json
import pickle
import shutil
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rawtree import (
    GITHUB_KEY,
    GITHUB_URL,
    HATENA_KEY,
    QIITA_BODY_V2,
    QIITA_KEY,
    RawTree,
    read_jsonl,
    records_by_id,
    snapshot_bytes,
)

import notepipe._version
import notepipe.normalize as normalize_module
from notepipe.curate import Assembly, CurateReport, assemble, cache_folder, curate, plan, process
from notepipe.errors import LockedError
from notepipe.formats import UndecodableError, decode
from notepipe.raw_store import folder_lock

REPO = Path(__file__).resolve().parents[2]


def three_posts(raw: RawTree) -> None:
    raw.qiita()
    raw.hatena()
    raw.github()


def test_github_markdown_gets_source_id_and_url_from_its_sidecar(raw: RawTree, curated: Path) -> None:
    meta = raw.github()
    report = curate(raw.root, curated)
    assert (report.records, report.errors) == (1, 0)
    rows = read_jsonl(curated / "records" / "github.jsonl")
    assert [r["id"] for r in rows] == [GITHUB_KEY]
    record = rows[0]
    assert record["source"] == "github"
    assert record["url"] == GITHUB_URL
    assert record["author"] == "kim-ml"
    assert record["title"] == "2024-03 논문 메모"
    assert record["lang"] == "ko"
    assert record["fetched_at"] == meta.fetched_at
    assert record["source_path"] == f"raw/{meta.path}"
    assert record["arxiv_ids"] == ["1706.03762"]


def test_charset_comes_from_the_served_media_type(raw: RawTree, curated: Path) -> None:
    # Short EUC-JP is not decodable from the bytes alone; the Content-Type the server sent decides.
    data = "# メモ\n\n論文を読んだ。\n".encode("euc_jp")
    with pytest.raises(UndecodableError):
        decode(data)
    raw.github(data, media_type="text/plain; charset=EUC-JP")
    report = curate(raw.root, curated)
    assert report.errors == 0
    record = records_by_id(curated)[GITHUB_KEY]
    assert (record["title"], record["text"]) == ("メモ", "論文を読んだ。")


def test_latest_version_wins_and_older_versions_stay_in_raw(raw: RawTree, curated: Path) -> None:
    old = raw.qiita(fetched_at="2024-04-01T00:00:00Z")
    new = raw.qiita(QIITA_BODY_V2, updated_at="2024-04-20T09:00:00+09:00", fetched_at="2024-04-21T00:00:00Z")
    before = snapshot_bytes(raw.root)
    work = plan(raw.root, curated)
    assert [item.sha256 for item in work.items] == [new.sha256]
    assert work.older_versions == 1
    curate(raw.root, curated)
    record = records_by_id(curated)[QIITA_KEY]
    assert record["arxiv_ids"] == ["1706.03762", "1810.04805"]
    assert record["updated_at"] == "2024-04-20T09:00:00+09:00"
    assert snapshot_bytes(raw.root) == before  # raw/ untouched: both versions still there
    assert (raw.root / old.path).is_file() and (raw.root / new.path).is_file()


def test_same_fetch_time_prefers_the_greater_sha256(raw: RawTree, curated: Path) -> None:
    a = raw.qiita(fetched_at="2024-04-01T00:00:00Z")
    b = raw.qiita(QIITA_BODY_V2, fetched_at="2024-04-01T00:00:00Z")
    assert [item.sha256 for item in plan(raw.root, curated).items] == [max(a.sha256, b.sha256)]


def test_second_run_reuses_every_entry_and_writes_identical_bytes(raw: RawTree, curated: Path) -> None:
    three_posts(raw)
    raw.copy_fixture("qiita/textdump_ja_adamw.txt", "samples/adamw.txt")
    first = curate(raw.root, curated)
    assert (first.inputs, first.processed, first.reused, first.errors) == (4, 4, 0, 0)
    out1 = snapshot_bytes(curated)
    mtimes = {p: (curated / p).stat().st_mtime_ns for p in out1}
    second = curate(raw.root, curated)
    assert (second.processed, second.reused) == (0, 4)
    assert snapshot_bytes(curated) == out1
    assert second.changed == []
    assert {p: (curated / p).stat().st_mtime_ns for p in out1} == mtimes  # unchanged outputs are not rewritten
    # A fresh folder, built from scratch, holds exactly the same bytes.
    fresh = curated.parent / "fresh" / "curated"
    curate(raw.root, fresh)
    assert snapshot_bytes(fresh) == out1


def test_a_damaged_cache_entry_is_rebuilt(raw: RawTree, curated: Path) -> None:
    three_posts(raw)
    curate(raw.root, curated)
    out = snapshot_bytes(curated)
    entry = sorted((curated / ".cache").rglob("*.jsonl"))[0]
    entry.write_text('{"kind": "record", "record": {"id": "trunc', "utf-8")
    report = curate(raw.root, curated)
    assert (report.processed, report.reused) == (1, 2)
    assert snapshot_bytes(curated) == out


def test_an_edited_record_line_in_the_cache_is_rebuilt_not_assembled(raw: RawTree, curated: Path) -> None:
    """Assembling copies cached record lines verbatim; a line that no longer matches its header's sha256 (a
    hand edit, a bad sector) is caught and the input processed again."""
    three_posts(raw)
    curate(raw.root, curated)
    out = snapshot_bytes(curated)
    entry = next(p for p in sorted((curated / ".cache").rglob("*.jsonl")) if "\t" in p.read_text("utf-8"))
    header, line = entry.read_text("utf-8").rstrip("\n").split("\t")
    edited = line.replace('"lang":', '"lang": ', 1)  # still valid JSON, no longer the line the header hashed
    entry.write_text(f"{header}\t{edited}\n", "utf-8")
    report = curate(raw.root, curated)
    assert (report.processed, report.reused) == (1, 2)
    assert snapshot_bytes(curated) == out


def test_a_cache_of_an_older_entry_layout_is_pruned_and_rebuilt(raw: RawTree, curated: Path) -> None:
    three_posts(raw)
    curate(raw.root, curated)
    out = snapshot_bytes(curated)
    current = curated / ".cache" / cache_folder(notepipe._version.PIPELINE_VERSION)
    old_layout = curated / ".cache" / notepipe._version.PIPELINE_VERSION  # the first layout's folder name
    current.rename(old_layout)
    report = curate(raw.root, curated)
    assert (report.processed, report.reused) == (3, 0)
    assert not old_layout.exists() and current.is_dir()
    assert snapshot_bytes(curated) == out


def test_a_new_version_is_the_only_work(raw: RawTree, curated: Path) -> None:
    three_posts(raw)
    curate(raw.root, curated)
    hatena_before = (curated / "records" / "hatena.jsonl").read_bytes()
    raw.qiita(QIITA_BODY_V2, updated_at="2024-04-20T09:00:00+09:00", fetched_at="2024-04-21T00:00:00Z")
    report = curate(raw.root, curated)
    assert (report.processed, report.reused, report.records) == (1, 2, 3)
    assert "1810.04805" in records_by_id(curated)[QIITA_KEY]["arxiv_ids"]
    assert "records/qiita.jsonl" in report.changed and "records/hatena.jsonl" not in report.changed
    assert (curated / "records" / "hatena.jsonl").read_bytes() == hatena_before
    # The superseded version's cache entry is pruned; one entry per planned input remains.
    assert len(list((curated / ".cache").rglob("*.jsonl"))) == 3


def test_hand_edited_snapshot_is_refused_even_when_cached(raw: RawTree, curated: Path) -> None:
    meta = raw.qiita()
    raw.hatena()
    raw.github()
    curate(raw.root, curated)
    snapshot = raw.root / meta.path
    edited = snapshot.read_bytes().replace(b"Transformer", b"Tranzformer")
    snapshot.write_bytes(edited)
    report = curate(raw.root, curated)
    assert QIITA_KEY not in records_by_id(curated)
    assert set(records_by_id(curated)) == {HATENA_KEY, GITHUB_KEY}
    [error] = read_jsonl(curated / "errors.jsonl")
    assert error["stage"] == "verify" and error["error"] == "ChecksumMismatch"
    assert error["source_path"] == f"raw/{meta.path}"
    assert meta.sha256 in error["message"] and hashlib.sha256(edited).hexdigest() in error["message"]
    assert report.errors_by_stage == {"verify": 1}


def test_missing_snapshot_file_is_a_verify_error(raw: RawTree, curated: Path) -> None:
    meta = raw.qiita()
    raw.hatena()
    (raw.root / meta.path).unlink()
    report = curate(raw.root, curated)
    assert set(records_by_id(curated)) == {HATENA_KEY}
    [error] = read_jsonl(curated / "errors.jsonl")
    assert (error["stage"], error["error"]) == ("verify", "MissingSnapshot")
    assert meta.sha256 in error["message"]
    assert report.inputs == 2


def test_empty_and_undecodable_snapshots_become_error_lines(raw: RawTree, curated: Path) -> None:
    raw.qiita()
    empty = raw.github(b"")
    binary, _ = raw.store.put(
        b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, ext="md", key="github:kim-ml/paper-notes/fig.md",
        source="github", author="kim-ml", native_id="paper-notes/fig.md",
        fetched_url="https://raw.githubusercontent.com/kim-ml/paper-notes/main/fig.md",
        fetched_at="2024-04-01T00:00:00Z",
    )
    report = curate(raw.root, curated)
    assert set(records_by_id(curated)) == {QIITA_KEY}
    errors = {e["source_path"]: e for e in read_jsonl(curated / "errors.jsonl")}
    assert errors[f"raw/{empty.path}"]["stage"] == "extract"
    assert errors[f"raw/{empty.path}"]["error"] == "EmptyInputError"
    assert errors[f"raw/{empty.path}"]["url"] == GITHUB_URL
    assert errors[f"raw/{binary.path}"]["stage"] == "decode"
    assert report.errors == 2
    # Error entries are cached too: a re-run processes nothing and reports the same lines.
    errors_before = (curated / "errors.jsonl").read_bytes()
    again = curate(raw.root, curated)
    assert again.processed == 0
    assert (curated / "errors.jsonl").read_bytes() == errors_before


def test_snapshot_without_sidecar_is_ignored(raw: RawTree, curated: Path) -> None:
    raw.qiita()
    orphan = raw.root / "qiita" / "mlnote_k" / "ffffffffffffffffffff" / "0123456789abcdef.json"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b'{"id": "ffffffffffffffffffff", "title": "half-written", "body": "x"}')
    report = curate(raw.root, curated)
    assert (report.inputs, report.records, report.errors) == (1, 1, 0)
    assert set(records_by_id(curated)) == {QIITA_KEY}


def test_bad_sidecar_is_reported_and_skipped(raw: RawTree, curated: Path) -> None:
    meta = raw.qiita()
    raw.hatena()
    sidecar = raw.root / meta.path.replace(".json", ".meta.json")
    sidecar.write_text('{"key": "qiita:broken"', "utf-8")
    report = curate(raw.root, curated)
    assert set(records_by_id(curated)) == {HATENA_KEY}
    [error] = read_jsonl(curated / "errors.jsonl")
    assert error["stage"] == "read" and error["source_path"].endswith(".meta.json")
    assert report.inputs == 2


def test_another_pipeline_version_rebuilds_and_prunes_the_old_cache(raw: RawTree, curated: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    three_posts(raw)
    curate(raw.root, curated)
    old = cache_folder(notepipe._version.PIPELINE_VERSION)
    assert (curated / ".cache" / old).is_dir()
    monkeypatch.setattr(notepipe._version, "PIPELINE_VERSION", "9.9.9")
    report = curate(raw.root, curated)
    assert (report.processed, report.reused) == (3, 0)
    assert not (curated / ".cache" / old).exists()
    assert len(list((curated / ".cache" / cache_folder("9.9.9")).rglob("*.jsonl"))) == 3
    assert json.loads((curated / "manifest.json").read_text("utf-8"))["pipeline_version"] == "9.9.9"
    assert curate(raw.root, curated).processed == 0


def test_manifest_describes_every_output_file(raw: RawTree, curated: Path) -> None:
    three_posts(raw)
    report = curate(raw.root, curated)
    manifest_bytes = (curated / "manifest.json").read_bytes()
    assert manifest_bytes.endswith(b"}\n")
    manifest = json.loads(manifest_bytes)
    paths = [f["path"] for f in manifest["files"]]
    assert paths == [p for p in report.outputs if p != "manifest.json"]
    assert {"records/qiita.jsonl", "records/hatena.jsonl", "records/github.jsonl", "errors.jsonl", "papers.jsonl",
            "data/records-00000-of-00001.parquet", "data/papers.parquet", "schema.json", "README.md"} == set(paths)
    for entry in manifest["files"]:
        data = (curated / entry["path"]).read_bytes()
        assert entry["sha256"] == hashlib.sha256(data).hexdigest()
        if entry["path"].endswith(".parquet"):  # rows, not lines, for a binary file
            assert (entry["bytes"], entry["rows"]) == (len(data), pq.read_metadata(curated / entry["path"]).num_rows)
        else:
            assert (entry["bytes"], entry["lines"]) == (len(data), data.count(b"\n"))
    assert {f["path"]: f for f in manifest["files"]}["data/records-00000-of-00001.parquet"]["rows"] == 3
    counts = manifest["counts"]
    assert counts["by_source"] == {"github": 1, "hatena": 1, "qiita": 1}
    assert counts["by_lang"] == {"ja": 2, "ko": 1}
    assert counts["records"] == 3 and counts["errors"] == 0
    assert manifest_bytes == (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()


def test_shard_of_a_vanished_source_is_removed(raw: RawTree, curated: Path) -> None:
    three_posts(raw)
    curate(raw.root, curated)
    assert (curated / "records" / "github.jsonl").is_file()
    for path in sorted((raw.root / "github").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    report = curate(raw.root, curated)
    assert not (curated / "records" / "github.jsonl").exists()
    assert report.removed == ["records/github.jsonl"]
    files = json.loads((curated / "manifest.json").read_text("utf-8"))["files"]
    assert "records/github.jsonl" not in [f["path"] for f in files]


def test_progress_lock_and_report(raw: RawTree, curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    three_posts(raw)
    calls: list[tuple[int, int]] = []
    monkeypatch.setattr(normalize_module, "BATCH_BYTES", 1)  # each post a batch of its own
    report = curate(raw.root, curated, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (1, 3), (2, 3), (3, 3)]
    monkeypatch.undo()  # three small posts make one batch: progress moves once they are all written
    calls.clear()
    shutil.rmtree(curated / ".cache")
    curate(raw.root, curated, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(0, 3), (3, 3)]
    data = json.loads(report.to_json())
    assert data["records"] == 3 and data["by_source"] == {"github": 1, "hatena": 1, "qiita": 1}
    assert "processed=3" in report.summary() and "records=3" in report.summary()
    assert isinstance(report, CurateReport)
    work = plan(raw.root, curated)
    assert pickle.loads(pickle.dumps(work.items)) == work.items  # shippable to worker processes
    with folder_lock(curated), pytest.raises(LockedError):
        curate(raw.root, curated)


def test_plan_process_assemble_match_curate(raw: RawTree, tmp_path: Path) -> None:
    # The Prefect flow's shape: plan, then map process over the misses (a worker may repeat one), then assemble.
    three_posts(raw)
    flow_dir = tmp_path / "flow" / "curated"
    work = plan(raw.root, flow_dir)
    assert [i.key for i in work.items] == sorted([QIITA_KEY, HATENA_KEY, GITHUB_KEY]) and work.todo == work.items
    results = [process(item, str(raw.root), str(flow_dir)) for item in [*work.todo, work.todo[0]]]
    assert all(r.cached and r.records == 1 and r.errors == 0 for r in results)
    report = assemble(work, flow_dir)
    assert (report.processed, report.reused, report.records) == (3, 0, 3)
    assert plan(raw.root, flow_dir).todo == []
    whole = tmp_path / "whole" / "curated"
    curate(raw.root, whole)
    assert snapshot_bytes(flow_dir) == snapshot_bytes(whole)


@pytest.mark.parametrize("order", ["batches reversed", "cached last", "one missed", "all at finish"])
def test_an_assembly_fed_in_any_order_writes_what_curate_writes(raw: RawTree, tmp_path: Path, order: str) -> None:
    """The flow feeds an Assembly each batch as it completes, in whatever order the workers finish; a repeated
    feed, a batch never fed (a lost worker) and entries left to `finish` must not change a byte."""
    three_posts(raw)
    sidecar = next(raw.root.rglob("*.meta.json"))
    raw.hatena()
    sidecar.write_text('{"key": "broken"', "utf-8")  # refused at planning: an error the plan carries
    flow_dir, whole = tmp_path / "flow" / "curated", tmp_path / "whole" / "curated"
    for folder in (flow_dir, whole):
        curate(raw.root, folder)
    raw.qiita(QIITA_BODY_V2, updated_at="2024-04-20T09:00:00+09:00", fetched_at="2024-04-21T00:00:00Z")
    raw.local("notes/memo.md", "# メモ\n\n논문 arXiv:1810.04805 을 다시 읽었다.\n".encode())
    work = plan(raw.root, flow_dir)
    cached = [item for item in work.items if item not in work.todo]
    assert work.errors and cached and len(work.todo) >= 2
    processed = work.todo[1:] if order == "one missed" else work.todo
    for item in processed:
        process(item, str(raw.root), str(flow_dir))
    assembly = Assembly(work, flow_dir)
    if order == "batches reversed":
        assembly.add(cached)
        assembly.add(reversed(work.todo))
        assembly.add(work.todo[:1])  # fed twice: read once
    elif order == "cached last":
        assembly.add(work.todo)
        assembly.add(cached)
    elif order == "one missed":
        assembly.add(processed)
    report = assembly.finish()
    expected = curate(raw.root, whole)
    assert (report.processed, report.reused, report.records, report.errors) == (
        expected.processed, expected.reused, expected.records, expected.errors)
    assert report.superseded == expected.superseded
    assert snapshot_bytes(flow_dir) == snapshot_bytes(whole)


def test_repo_raw_samples_curate_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "curated"
    shutil.copytree(REPO / "raw" / "samples", tmp_path / "raw" / "samples")  # not raw/_state of a local run
    report = curate(tmp_path / "raw", out)
    assert report.records >= 6 and report.errors == 0
    assert report.by_lang.keys() >= {"ja", "ko"}
    records = records_by_id(out)
    assert all(r["source_path"].startswith("raw/samples/") for r in records.values())
    assert (out / "schema.json").read_bytes() == (REPO / "curated" / "schema.json").read_bytes()
    # the committed card is this run's (regenerate it with `notepipe curate` on raw/samples when this fails)
    assert (out / "README.md").read_bytes() == (REPO / "curated" / "README.md").read_bytes()
    card = (out / "README.md").read_text("utf-8")
    assert f"| records | {report.records} |" in card
    assert 'load_dataset("json", data_files={"train": "curated/records/*.jsonl"})' in card
    assert "raw/samples/" in card and "belong to their authors" in card
    for field in records[next(iter(records))]:
        assert f"- `{field}`:" in card


def test_assemble_pauses_the_cyclic_collector_and_restores_its_state(raw: RawTree, curated: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    import gc

    from notepipe.curate import _assemble

    three_posts(raw)
    seen: list[bool] = []
    real_index = _assemble.index_papers

    def spy(records: list[object], resolutions: object = None) -> object:
        seen.append(gc.isenabled())
        return real_index(records, resolutions)  # type: ignore[arg-type]

    monkeypatch.setattr(_assemble, "index_papers", spy)
    assert gc.isenabled()
    curate(raw.root, curated)
    assert seen == [False] and gc.isenabled()
    gc.disable()
    try:
        curate(raw.root, curated)
        assert not gc.isenabled(), "a collector the caller turned off stays off"
    finally:
        gc.enable()

    def broken(records: list[object], resolutions: object = None) -> object:
        raise RuntimeError("index failed")

    monkeypatch.setattr(_assemble, "index_papers", broken)
    with pytest.raises(RuntimeError):
        curate(raw.root, curated)
    assert gc.isenabled()
