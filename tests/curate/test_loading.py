"""The curated dataset loads in one line in the tools people use: Hugging Face `datasets`, DuckDB and Polars."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from notepipe.curate import arrow_schema, curate
from notepipe.models import Record

datasets = pytest.importorskip("datasets")
duckdb = pytest.importorskip("duckdb")
pl = pytest.importorskip("polars")

REPO = Path(__file__).resolve().parents[2]
SHARDS = "data/records-*.parquet"


class Curated:
    """One curated folder and what its JSONL says: the expected answers of every loader."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        lines = [json.loads(line) for shard in sorted((folder / "records").glob("*.jsonl"))
                 for line in shard.read_text("utf-8").splitlines()]
        self.records = {r["id"]: r for r in lines}
        self.papers = [json.loads(line) for line in (folder / "papers.jsonl").read_text("utf-8").splitlines()]
        # id → papers[0].arxiv_id of each record that mentions a paper (the nested field every loader is asked for)
        self.first_arxiv = {i: r["papers"][0]["arxiv_id"] for i, r in self.records.items() if r["papers"]}
        assert self.first_arxiv and any(self.first_arxiv.values())

    def glob(self, pattern: str) -> str:
        return str(self.folder / pattern)


@pytest.fixture(scope="module")
def samples(tmp_path_factory: pytest.TempPathFactory) -> Curated:
    """The curated output of the repository's raw/samples."""
    root = tmp_path_factory.mktemp("samples")
    shutil.copytree(REPO / "raw" / "samples", root / "raw" / "samples")
    curate(root / "raw", root / "curated")
    return Curated(root / "curated")


@pytest.fixture(scope="module")
def site_curated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Curated]:
    """The curated output of a full scrape of the loopback fixture site."""
    from notepipe.sources import scrape
    from tests.fetch.helpers import site_config
    from tests.site import FixtureSite

    with FixtureSite() as site:
        config = site_config(site, tmp_path_factory.mktemp("site"))
        scrape(config, full=True)
    curate(config.raw_dir, config.curated_dir)
    yield Curated(Path(config.curated_dir))


@pytest.fixture(params=["samples", "site"])
def out(request: pytest.FixtureRequest) -> Curated:
    return request.getfixturevalue("samples" if request.param == "samples" else "site_curated")


@pytest.fixture
def hf(tmp_path: Path) -> Iterator[Any]:
    """`datasets.load_dataset`, offline (nothing may be fetched: the data is local) with this test's own cache
    (`datasets` caches a local folder by its card's metadata and the folder's name, not by the files' bytes)."""
    cache = tmp_path / "hf-cache"
    with pytest.MonkeyPatch.context() as mp:
        for name in ("HF_DATASETS_OFFLINE", "HF_HUB_OFFLINE"):
            mp.setenv(name, "1")
            mp.setattr(datasets.config, name, True, raising=False)
        mp.setenv("HF_HOME", str(cache))
        mp.setattr(datasets.config, "HF_DATASETS_CACHE", cache / "datasets")
        datasets.disable_progress_bars()

        def load(*args: Any, **kwargs: Any) -> Any:
            return datasets.load_dataset(*args, split="train", cache_dir=str(cache / "datasets"), **kwargs)

        yield load


def test_hugging_face_loads_the_folder_with_its_card_types(out: Curated, hf: Any) -> None:
    records = hf(str(out.folder))  # the default configuration: records
    assert records.num_rows == len(out.records)
    assert records.features == datasets.Features.from_arrow_schema(arrow_schema(Record))
    assert records.features["published_at"] == datasets.Value("timestamp[us, tz=UTC]")
    got = {row["id"]: row["papers"][0]["arxiv_id"] for row in records if row["papers"]}
    assert got == out.first_arxiv
    papers = hf(str(out.folder), "papers")
    assert papers.num_rows == len(out.papers) and papers["key"] == [p["key"] for p in out.papers]


def test_hugging_face_loads_the_jsonl_with_the_fixed_types(out: Curated, hf: Any) -> None:
    # timestamps as the strings they are in JSONL; every other column as in Parquet (no per-shard guessing)
    features = datasets.Features.from_arrow_schema(arrow_schema(Record, timestamps=False))
    records = hf("json", data_files={"train": out.glob("records/*.jsonl")}, features=features)
    assert records.num_rows == len(out.records) and records.features == features
    assert {row["id"]: row["papers"][0]["arxiv_id"] for row in records if row["papers"]} == out.first_arxiv


def test_duckdb_reads_parquet_and_jsonl(out: Curated) -> None:
    db = duckdb.connect()
    for source in (f"read_parquet('{out.glob(SHARDS)}')", f"read_json('{out.glob('records/*.jsonl')}')"):
        assert db.sql(f"SELECT count(*) FROM {source}").fetchone() == (len(out.records),)
        rows = db.sql(f"SELECT id, papers[1].arxiv_id FROM {source} WHERE len(papers) > 0").fetchall()
        assert dict(rows) == out.first_arxiv, source
    kind = db.sql(f"SELECT typeof(published_at) FROM read_parquet('{out.glob(SHARDS)}') LIMIT 1").fetchone()
    assert kind == ("TIMESTAMP WITH TIME ZONE",)
    assert db.sql(f"SELECT count(*) FROM '{out.glob('data/papers.parquet')}'").fetchone() == (len(out.papers),)


def test_polars_reads_parquet_and_jsonl(out: Curated) -> None:
    frame = pl.read_parquet(out.glob(SHARDS))
    assert frame.height == len(out.records)
    assert frame.schema["published_at"] == pl.Datetime("us", "UTC")
    first = frame.filter(pl.col("papers").list.len() > 0).select(
        "id", pl.col("papers").list.first().struct.field("arxiv_id"))
    assert dict(first.iter_rows()) == out.first_arxiv
    # JSONL: Polars guesses a column's type from the first shard, and a column null there fails in the next one;
    # the same fixed schema fixes that.
    schema = pl.from_arrow(arrow_schema(Record, timestamps=False).empty_table()).schema
    lines = pl.read_ndjson(out.glob("records/*.jsonl"), schema=schema)
    assert lines.height == len(out.records)
    assert sorted(lines["id"]) == frame["id"].to_list()
    assert pl.read_parquet(out.glob("data/papers.parquet")).height == len(out.papers)


def test_parquet_rows_are_the_jsonl_rows(out: Curated) -> None:
    table = pa.concat_tables([pq.read_table(p) for p in sorted(out.folder.glob(SHARDS))])
    assert table.column("id").to_pylist() == sorted(out.records)
    for row in table.select(["id", "text", "tokens", "segments", "tags", "links"]).to_pylist():
        want = out.records[row.pop("id")]
        assert row == {k: want[k] for k in row}


def test_hugging_face_reads_a_recurated_folder_afresh(tmp_path: Path, hf: Any) -> None:
    """Its cache key is the card's metadata, which states rows and bytes: new records are not served stale."""
    root = tmp_path / "work"
    shutil.copytree(REPO / "raw" / "samples", root / "raw" / "samples")
    keep = sorted((root / "raw" / "samples").iterdir())[0]
    moved = tmp_path / "aside"
    shutil.move(keep, moved)
    curate(root / "raw", root / "curated")
    before = hf(str(root / "curated")).num_rows
    shutil.move(moved, keep)
    curate(root / "raw", root / "curated")
    assert hf(str(root / "curated")).num_rows == len(Curated(root / "curated").records) > before


def test_every_loader_reads_many_shards(tmp_path: Path, hf: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from notepipe.curate import _parquet

    monkeypatch.setattr(_parquet, "SHARD_BYTES", 1)  # a file per row group
    monkeypatch.setattr(_parquet, "ROW_GROUP_JSON_BYTES", 1)  # a row group per record
    shutil.copytree(REPO / "raw" / "samples", tmp_path / "raw" / "samples")
    curate(tmp_path / "raw", tmp_path / "curated")
    out = Curated(tmp_path / "curated")
    shards = sorted(out.folder.glob(SHARDS))
    assert len(shards) == len(out.records) > 1
    assert hf(str(out.folder)).num_rows == len(out.records)
    assert duckdb.sql(f"SELECT count(*) FROM '{out.glob(SHARDS)}'").fetchone() == (len(out.records),)
    assert pl.read_parquet(out.glob(SHARDS))["id"].to_list() == sorted(out.records)
