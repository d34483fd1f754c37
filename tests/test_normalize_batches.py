"""`normalize_paths` drafts files a batch at a time, then tokenizes them: the records, error lines, their order and the
counts are those of one file at a time, whatever the batch size, and a failure stays with its own file."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import notepipe.normalize as normalize_module
from notepipe.models import ErrorRecord, Record
from notepipe.normalize import Refused, expand_inputs, normalize_bytes, normalize_paths
from notepipe.pipeline import Draft
from notepipe.reports import NormalizeReport

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def _inputs(tmp_path: Path) -> list[Path | Refused]:
    """Our format fixtures (good and bad) in one folder, plus a missing file and a refused one."""
    src = tmp_path / "in"
    for site in ("qiita", "hatena", "github", "generic", "bad"):
        shutil.copytree(FIXTURES / site, src / site)
    (src / "zz_korean.md").write_text("# 논문 메모\n\n트랜스포머 논문을 읽고 정리했다.\n", encoding="utf-8")
    return [*expand_inputs([src]), src / "missing.md", Refused(src / "outside.md", "refused: links outside")]


def _run(files: list[Path | Refused]) -> tuple[list[str], NormalizeReport]:
    stats = NormalizeReport()
    lines = [item.model_dump_json() for item in normalize_paths(files, stats)]
    return lines, stats


def test_any_batch_size_gives_the_same_lines_in_the_same_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                ) -> None:
    files = _inputs(tmp_path)
    monkeypatch.setattr(normalize_module, "BATCH_BYTES", 1)  # one file a batch
    one_by_one, stats_one = _run(files)
    for size in (5_000, 50_000, 10**9):  # a few files a batch, many, all of them
        monkeypatch.setattr(normalize_module, "BATCH_BYTES", size)
        lines, stats = _run(files)
        assert lines == one_by_one, size
        assert stats == stats_one, size
    assert stats_one.files == len(files) and stats_one.errors >= 6 and stats_one.records > 20
    # Each file's lines are those of normalize_bytes on it alone, in input order.
    expected: list[str] = []
    for item in files:
        try:
            assert isinstance(item, Path)
            expected += [r.model_dump_json() for r in normalize_bytes(item.read_bytes(), source_path=str(item))]
        except Exception:
            expected.append("error")
    assert ["error" if '"stage"' in line else line for line in one_by_one] == expected


def test_a_file_that_fails_while_tokenized_is_its_own_error_line(tmp_path: Path, monkeypatch: pytest.MonkeyPatch
                                                                   ) -> None:
    files = _inputs(tmp_path)
    monkeypatch.setattr(normalize_module, "BATCH_BYTES", 10**9)
    before, _ = _run(files)
    real = normalize_module.finish_record

    def failing(draft: Draft) -> Record:
        if draft.fields["source_path"].endswith("zz_korean.md"):
            raise RuntimeError("analyzer failed")
        return real(draft)

    monkeypatch.setattr(normalize_module, "finish_record", failing)
    stats = NormalizeReport()
    items = list(normalize_paths(files, stats))
    failed = [i for i in items if isinstance(i, ErrorRecord) and i.source_path.endswith("zz_korean.md")]
    assert len(failed) == 1 and failed[0].error == "RuntimeError" and failed[0].message == "analyzer failed"
    # Every other file's lines are unchanged, and in their places.
    assert [i.model_dump_json() for i in items if i is not failed[0]] == \
        [line for line in before if "zz_korean.md" not in line]
    assert stats.errors_by_stage[failed[0].stage] >= 1
