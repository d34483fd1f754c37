"""`notepipe normalize`: records in input order, bad inputs recorded, deterministic, atomic output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from notepipe.cli import main
from notepipe.jsonl import atomic_writer

QIITA_ITEM = {
    "id": "0123456789abcdef0123", "title": "拡散モデルの論文を読んだ", "url": "https://qiita.com/np_test/items/0123456789abcdef0123",
    "body": "# はじめに\n\nDDPM([arXiv:2006.11239](https://arxiv.org/abs/2006.11239))を読んだメモです。\n",
    "rendered_body": "<h1>はじめに</h1>", "created_at": "2023-04-01T09:30:00+09:00",
    "updated_at": "2023-04-02T10:00:00+09:00", "tags": [{"name": "機械学習", "versions": []}],
    "user": {"id": "np_test", "name": "テスト"},
}


def _inputs(tmp_path: Path) -> Path:
    src = tmp_path / "in"
    (src / "sub").mkdir(parents=True)
    (src / "a_note.md").write_text("# 論文メモ\n\nTransformerの論文を読んだ。\n", encoding="utf-8")
    (src / "b_item.json").write_text(json.dumps(QIITA_ITEM, ensure_ascii=False), encoding="utf-8")
    (src / "c_empty.txt").write_bytes(b"")
    (src / "d_binary.html").write_bytes(bytes(range(256)) * 4)
    (src / "sub" / "e_korean.txt").write_text("논문을 읽고 정리했다.\n재미있는 결과였다.\n", encoding="utf-8")
    (src / "ignored.png").write_bytes(b"\x89PNG")
    return src


def test_normalize_writes_records_and_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = _inputs(tmp_path)
    out = tmp_path / "out" / "records.jsonl"
    assert main(["normalize", str(src), str(tmp_path / "missing.md"), "-o", str(out)]) == 0
    records = [json.loads(line) for line in out.read_text("utf-8").splitlines()]
    assert [Path(r["source_path"]).name for r in records] == ["a_note.md", "b_item.json", "e_korean.txt"]
    note, item, korean = records
    assert note["title"] == "論文メモ" and note["lang"] == "ja" and not note["text"].startswith("論文メモ")
    assert item["id"] == "qiita:0123456789abcdef0123" and item["source"] == "qiita"
    assert item["published_at"] == "2023-04-01T09:30:00+09:00" and item["tags"] == ["機械学習"]
    assert "2006.11239" in item["arxiv_ids"]
    assert korean["lang"] == "ko" and "논문" in korean["tokens"]
    assert note["id"].startswith("file:") and len(note["content_hash"]) == 64
    errors = [json.loads(line) for line in out.with_suffix(".errors.jsonl").read_text("utf-8").splitlines()]
    by_name = {Path(e["source_path"]).name: e for e in errors}
    assert by_name["c_empty.txt"]["stage"] == "extract"
    assert by_name["d_binary.html"]["stage"] == "decode"
    assert by_name["missing.md"]["stage"] == "read" and "no such file" in by_name["missing.md"]["message"]
    err = capsys.readouterr().err
    assert "files=6 records=3 errors=3" in err
    assert "c_empty.txt" in err and "ja=2, ko=1" in err


def test_output_is_byte_identical_on_rerun(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    first, second = tmp_path / "1.jsonl", tmp_path / "2.jsonl"
    assert main(["normalize", str(src), "-o", str(first), "-q"]) == 0
    assert main(["normalize", str(src), "-o", str(second), "-q"]) == 0
    assert first.read_bytes() == second.read_bytes()


def test_stdout_output_and_console_script(tmp_path: Path) -> None:
    src = _inputs(tmp_path)
    result = subprocess.run([sys.executable, "-m", "notepipe.cli", "normalize", str(src / "a_note.md")],
                            capture_output=True, text=True, check=True)
    [line] = result.stdout.splitlines()
    assert json.loads(line)["title"] == "論文メモ"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["normalize"])
    assert exc.value.code == 2
    assert "PATH" in capsys.readouterr().err


def test_help_teaches_by_example(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "notepipe normalize" in capsys.readouterr().out


def test_atomic_writer_leaves_nothing_on_failure(tmp_path: Path) -> None:
    target = tmp_path / "out.jsonl"
    target.write_text("previous\n", encoding="utf-8")
    with pytest.raises(RuntimeError), atomic_writer(target) as fh:
        fh.write("partial")
        raise RuntimeError("boom")
    assert target.read_text("utf-8") == "previous\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.jsonl"]


def test_explain_papers_writes_every_candidate_with_its_verdict(tmp_path: Path) -> None:
    post = tmp_path / "note.md"
    post.write_text(
        "# Denoising Diffusion Probabilistic Models\n\n[paper](https://arxiv.org/abs/2006.11239)\n\n"
        "## 3.1 Forward Process\n\n- Fréchet Inception Distance (FID)\n- [code](https://example.org/ddpm)\n\n"
        "論文の要約。\n", encoding="utf-8")
    explain = tmp_path / "explain.jsonl"
    assert main(["normalize", str(post), "-o", str(tmp_path / "out.jsonl"), "--explain-papers", str(explain),
                 "-q"]) == 0
    lines = [json.loads(line) for line in explain.read_text(encoding="utf-8").splitlines()]
    reviewed = next(x for x in lines if x["evidence"] == "reviewed")
    assert (reviewed["accepted"], reviewed["role"], reviewed["title"]) == (
        True, "reviewed", "Denoising Diffusion Probabilistic Models")
    rejected = {x["text"]: x["reason"] for x in lines if not x["accepted"]}
    assert rejected  # every rejected candidate is listed with the rule that rejected it
    assert all(reason for reason in rejected.values())
    assert {x["source_path"] for x in lines} == {str(post)}
    [record] = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [(p["title"], p["arxiv_id"], p["role"]) for p in record["papers"]] == [
        ("Denoising Diffusion Probabilistic Models", "2006.11239", "reviewed")]
