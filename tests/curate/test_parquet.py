"""The Parquet outputs: a schema derived from the row models, timestamps, shards, byte-stable writes, the card's YAML."""

from __future__ import annotations

import dataclasses
import shutil
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal, get_args, get_type_hints

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import yaml
from pydantic import BaseModel, Field
from rawtree import RawTree, records_by_id, snapshot_bytes

from notepipe.curate import (
    TIMESTAMP,
    PaperRow,
    arrow_schema,
    curate,
    hf_features,
    papers_schema,
    records_parquet,
    records_schema,
)
from notepipe.models import Paper, Record, Segment

REPO = Path(__file__).resolve().parents[2]


def three_posts(raw: RawTree) -> None:
    raw.qiita()
    raw.hatena()
    raw.github()


def _model_fields(model: type) -> dict[str, Any]:
    """Field name → nested field names, for every model field reachable from `model` (lists and optionals seen
    through): what an Arrow schema covering the model must hold."""
    out: dict[str, Any] = {}
    hints = ({n: i.annotation for n, i in model.model_fields.items()} if issubclass(model, BaseModel)
             else {f.name: get_type_hints(model)[f.name] for f in dataclasses.fields(model)})
    for name, hint in hints.items():
        annotation = hint
        while get_args(annotation) and not isinstance(annotation, type):
            annotation = next(a for a in get_args(annotation) if a is not type(None))
        nested = isinstance(annotation, type) and (issubclass(annotation, BaseModel) or dataclasses.is_dataclass(
            annotation))
        out[name] = _model_fields(annotation) if nested else None
    return out


def _arrow_fields(kind: pa.DataType | pa.Schema) -> dict[str, Any]:
    while isinstance(kind, pa.ListType):
        kind = kind.value_type
    return {f.name: _arrow_fields(f.type) if _nested(f.type) else None for f in kind}


def _nested(kind: pa.DataType) -> bool:
    while isinstance(kind, pa.ListType):
        kind = kind.value_type
    return pa.types.is_struct(kind)


@pytest.mark.parametrize("model", [Record, PaperRow])
def test_arrow_schema_covers_every_model_field(model: type[BaseModel]) -> None:
    schema = arrow_schema(model)
    assert _arrow_fields(schema) == _model_fields(model)
    for name, info in model.model_fields.items():  # optional ⇔ nullable: every other column always has a value
        assert schema.field(name).nullable == (type(None) in get_args(info.annotation)), name


def test_record_schema_types() -> None:
    schema = records_schema()
    assert [schema.field(n).type for n in ("published_at", "updated_at", "fetched_at")] == [TIMESTAMP] * 3
    assert schema.field("url").type == pa.string() and schema.field("url").nullable
    segment = schema.field("segments").type.value_type
    assert pa.types.is_struct(segment) and [f.name for f in segment] == list(Segment.model_fields)
    paper = schema.field("papers").type.value_type
    assert [f.name for f in paper] == list(Paper.model_fields)
    assert paper.field("year").type == pa.int64() and paper.field("authors").type == pa.list_(
        pa.field("item", pa.string(), nullable=False))
    assert papers_schema().field("mentions").type == pa.int64()
    assert not any(pa.types.is_timestamp(f.type) for f in arrow_schema(Record, timestamps=False))


def test_fields_added_to_the_models_are_picked_up_without_edits() -> None:
    """What others are adding (paper roles and canonical names, a `math` segment kind, a nested canonical struct
    and counts on the papers row) maps with no change to the schema code."""
    class Canonical(BaseModel):
        title: str
        arxiv_id: str | None = None

    class NewPaper(Paper):
        role: Literal["main", "cited", "related"] | None = None
        canonical_title: str | None = None
        canonical_arxiv_id: str | None = None

    class NewSegment(Segment):
        kind: Literal["text", "code", "math"] = "text"  # type: ignore[assignment]

    class NewRecord(Record):
        segments: list[NewSegment] = Field(default_factory=list)  # type: ignore[assignment]
        papers: list[NewPaper] = Field(default_factory=list)  # type: ignore[assignment]
        scraped_at: str | None = None

    class NewRow(PaperRow):
        canonical: Canonical | None = None
        reviews: int = 0
        citations: int | None = None

    for model in (NewRecord, NewRow):
        assert _arrow_fields(arrow_schema(model)) == _model_fields(model)
    schema = arrow_schema(NewRecord)
    assert schema.field("scraped_at").type == TIMESTAMP
    assert [f.name for f in schema.field("papers").type.value_type][-3:] == [
        "role", "canonical_title", "canonical_arxiv_id"]
    row = arrow_schema(NewRow)
    assert row.field("canonical").type == pa.struct([pa.field("title", pa.string(), nullable=False),
                                                      pa.field("arxiv_id", pa.string())])
    assert row.field("canonical").nullable and row.field("citations").nullable and not row.field("reviews").nullable


def test_a_type_without_an_arrow_mapping_is_refused_by_name() -> None:
    class Odd(BaseModel):
        blob: dict[str, int]

    with pytest.raises(TypeError, match=r"Odd\.blob"):
        arrow_schema(Odd)


def test_card_features_are_what_datasets_makes_of_the_schema() -> None:
    datasets = pytest.importorskip("datasets")
    for schema in (records_schema(), papers_schema(), arrow_schema(Record, timestamps=False)):
        features = datasets.Features._from_yaml_list(hf_features(schema))
        assert features == datasets.Features.from_arrow_schema(schema)
        assert features.arrow_schema.names == schema.names


def _line(**fields: Any) -> bytes:
    record = Record(id="file:x", source="unknown", lang="ja", text="本文", content_hash="0" * 64, **fields)
    return record.model_dump_json().encode("utf-8")


def test_timestamps_become_utc_moments() -> None:
    dates = {"published_at": "2024-03-05T09:30:00+09:00", "updated_at": "2024-03-05",
             "fetched_at": "2026-01-02T03:04:05.678901Z"}
    lines = [_line(**dates), _line(published_at="2024-03-06T09:30:00"), _line(published_at="not a date")]
    table = pq.read_table(pa.BufferReader(next(iter(records_parquet(lines).files.values()))[0]))
    assert table.schema.field("published_at").type == TIMESTAMP
    published = table.column("published_at").to_pylist()
    assert published == [datetime(2024, 3, 5, 0, 30, tzinfo=UTC), datetime(2024, 3, 6, 9, 30, tzinfo=UTC), None]
    assert table.column("updated_at")[0].as_py() == datetime(2024, 3, 5, tzinfo=UTC)
    assert table.column("fetched_at")[0].as_py() == datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)


def test_records_shard_by_size_in_id_order_and_bytes_do_not_depend_on_threads() -> None:
    lines = [_line(title=f"post {i}", tags=[f"t{i}"]).replace(b'"file:x"', f'"file:{i:04d}"'.encode())
             for i in range(400)]
    one = records_parquet(lines)
    assert list(one.files) == ["data/records-00000-of-00001.parquet"]
    many = records_parquet(lines, shard_bytes=4_000, row_group_bytes=8_000)
    names = list(many.files)
    assert len(names) > 2 and names[-1] == f"data/records-{len(names) - 1:05d}-of-{len(names):05d}.parquet"
    ids = [i for data, _ in many.files.values() for i in pq.read_table(pa.BufferReader(data)).column("id").to_pylist()]
    assert ids == [f"file:{i:04d}" for i in range(400)]
    assert sum(rows for _, rows in many.files.values()) == 400
    cpus = pa.cpu_count()
    pa.set_cpu_count(1)
    try:
        assert records_parquet(lines) == one
    finally:
        pa.set_cpu_count(cpus)
    assert records_parquet([]).files["data/records-00000-of-00001.parquet"][1] == 0


def test_parquet_holds_the_jsonl_rows_and_recurating_is_byte_identical(raw: RawTree, tmp_path: Path) -> None:
    three_posts(raw)
    first, second = tmp_path / "a" / "curated", tmp_path / "b" / "curated"  # the card names its folder
    curate(raw.root, first)
    report = curate(raw.root, first)
    assert report.changed == []  # nothing rewritten: every Parquet byte is the same
    shutil.rmtree(first / ".cache")
    curate(raw.root, first)
    curate(raw.root, second)
    assert snapshot_bytes(first) == snapshot_bytes(second)
    table = pq.read_table(first / "data" / "records-00000-of-00001.parquet")
    assert table.schema == records_schema()
    jsonl = records_by_id(first)
    assert table.column("id").to_pylist() == sorted(jsonl)
    for row in table.to_pylist():
        assert [p["arxiv_id"] for p in row["papers"]] == [p["arxiv_id"] for p in jsonl[row["id"]]["papers"]]
        assert row["segments"] == jsonl[row["id"]]["segments"] and row["tokens"] == jsonl[row["id"]]["tokens"]
    papers = pq.read_table(first / "data" / "papers.parquet")
    assert papers.schema == papers_schema()
    footer = pq.read_metadata(first / "data" / "papers.parquet")
    assert footer.row_group(0).column(0).compression == "ZSTD"


def test_a_stale_parquet_shard_is_removed(raw: RawTree, curated: Path) -> None:
    three_posts(raw)
    curate(raw.root, curated)
    stale = curated / "data" / "records-00001-of-00002.parquet"
    stale.write_bytes(b"old")
    report = curate(raw.root, curated)
    assert not stale.exists() and report.removed == ["data/records-00001-of-00002.parquet"]


def test_a_papers_row_the_model_does_not_know_fails_loudly(raw: RawTree, curated: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from notepipe.curate import _assemble

    real = _assemble.write_outputs

    def with_surprise(curated_dir: Path, *, papers: list[dict[str, Any]], **kwargs: Any) -> Any:
        return real(curated_dir, papers=[{**row, "surprise": 1} for row in papers], **kwargs)

    monkeypatch.setattr(_assemble, "write_outputs", with_surprise)
    three_posts(raw)
    with pytest.raises(ValueError, match="surprise"):
        curate(raw.root, curated)
    assert not curated.joinpath("papers.jsonl").exists()  # nothing half-written


def test_committed_card_metadata_names_both_configurations() -> None:
    card = (REPO / "curated" / "README.md").read_text("utf-8")
    assert card.startswith("---\n")
    meta = yaml.safe_load(card.split("---\n", 2)[1])
    assert meta["dataset_info"][0]["splits"] == [{"name": "train", "num_examples": 6}]  # raw/samples: 6 records
    assert meta["dataset_info"][1]["features"] == hf_features(papers_schema())
    assert [c["config_name"] for c in meta["configs"]] == ["records", "papers"]
    assert meta["configs"][0]["data_files"][0]["path"] == "data/records-*.parquet"
    assert meta["language"] == ["ja", "ko"] and meta["license"] == "other"
    assert "placeholder" in card.split("---\n", 2)[1]


def test_unchanged_parquet_is_kept_not_rebuilt_and_a_tampered_one_is_rebuilt(
        raw: RawTree, curated: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from notepipe.curate import _parquet

    three_posts(raw)
    curate(raw.root, curated)
    first = snapshot_bytes(curated)
    built: list[int] = []
    real = _parquet.records_table
    monkeypatch.setattr(_parquet, "records_table", lambda lines, months=None: built.append(len(lines)) or real(
        lines, months))
    assert curate(raw.root, curated).changed == [] and built == []  # same input: the files are kept as they are
    assert snapshot_bytes(curated) == first
    shard = curated / "data" / "records-00000-of-00001.parquet"
    shard.write_bytes(shard.read_bytes()[:-1] + b"!")  # no longer what the manifest lists
    report = curate(raw.root, curated)
    assert built == [3] and report.changed == ["data/records-00000-of-00001.parquet"]
    assert snapshot_bytes(curated) == first
    raw.qiita(body="# 別の本文\n\n新しい段落です。arXiv:1810.04805 を読んだ。\n", fetched_at="2024-05-01T00:00:00Z")
    report = curate(raw.root, curated)
    assert built == [3, 3] and "data/records-00000-of-00001.parquet" in report.changed
    footer = pq.read_metadata(shard).metadata
    assert len(footer[b"notepipe.input_sha256"]) == 64 and b"notepipe.months" in footer


def test_pyarrow_loads_only_when_outputs_are_written() -> None:
    """Curate's worker processes import the package to process posts; they never write Parquet."""
    import subprocess
    import sys

    code = "import sys, notepipe.cli, notepipe.curate, notepipe.curate._process; print('pyarrow' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
