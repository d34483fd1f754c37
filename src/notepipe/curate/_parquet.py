"""Parquet beside the JSONL: records and the papers index, one fixed schema each, zstd, sharded, byte-stable."""

from __future__ import annotations

import hashlib
import io
import json
import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.json as pa_json
import pyarrow.parquet as pq

from notepipe.curate import _schema
from notepipe.curate._papers import PaperRow
from notepipe.curate._schema import TIMESTAMP, arrow_schema, timestamp_columns
from notepipe.models import Record

_log = logging.getLogger(__name__)

DATA_DIR = "data"
PAPERS_PARQUET = f"{DATA_DIR}/papers.parquet"
RECORDS_PREFIX = f"{DATA_DIR}/records-"
#: A shard is closed once it reaches this size (so shards are about this big, one row group over at most): the
#: size the Hugging Face Hub and most readers handle best, and few files for DuckDB or Polars to open.
SHARD_BYTES = 128 * 1024 * 1024
#: Records go into row groups of about this many bytes of JSONL (some 5-8 MB of Parquet): readers stream a row
#: group at a time, and a shard overshoots SHARD_BYTES by less than one.
ROW_GROUP_JSON_BYTES = 32 * 1024 * 1024
ZSTD_LEVEL = 3
# Every option that changes the bytes is stated, so a new pyarrow default cannot change them silently. The footer
# still names the writer (`created_by: parquet-cpp-arrow version X`), which pyarrow cannot set: the output is
# byte-identical for the same input and pyarrow version (pinned in constraints.txt), not across versions.
_WRITER: dict[str, Any] = {
    "version": "2.6",
    "compression": "zstd",
    "compression_level": ZSTD_LEVEL,
    "use_dictionary": True,
    "write_statistics": True,
    "data_page_version": "1.0",
    "store_schema": True,
    "write_page_index": False,
    "use_compliant_nested_type": True,
}


def records_schema() -> pa.Schema:
    """The Arrow schema of `data/records-*.parquet`, derived from `Record`."""
    return arrow_schema(Record)


def papers_schema() -> pa.Schema:
    """The Arrow schema of `data/papers.parquet`, derived from `PaperRow`."""
    return arrow_schema(PaperRow)


def _utc(value: str | None) -> datetime | None:
    """An ISO 8601 date or date-time as a UTC moment. A date alone is its midnight and a time without an offset
    is taken as UTC (the JSONL keeps the value as the site states it); anything else is null."""
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _timestamps(column: pa.ChunkedArray, name: str) -> pa.Array:
    values = column.to_pylist()
    moments = [_utc(v) for v in values]
    lost = sum(1 for v, m in zip(values, moments, strict=True) if v is not None and m is None)
    if lost:
        _log.warning("parquet: %d %s value(s) are not ISO 8601; null in Parquet, as written in JSONL", lost, name)
    return pa.array(moments, type=TIMESTAMP)


_MONTH = re.compile(r"\d{4}-\d{2}")
#: The field the card's posts-per-month table counts by.
MONTH_FIELD = "published_at"


def _count_months(column: pa.ChunkedArray, months: Counter[str]) -> None:
    """Add `YYYY-MM` of each value as the site states it (not its UTC month) to `months`; `unknown` without one."""
    counts = pc.value_counts(pc.utf8_slice_codeunits(column, 0, 7)).to_pylist()
    for entry in counts:
        value = entry["values"]
        months["unknown" if value is None or not _MONTH.fullmatch(value) else value] += entry["counts"]


def records_table(lines: Sequence[bytes], months: Counter[str] | None = None) -> pa.Table:
    """Record JSON lines (as curate writes them) as one table of `records_schema()`, in the given order.

    Arrow's JSON reader parses them against the schema with timestamps as strings (a field the schema lacks is an
    error, never dropped); the timestamp columns are then converted here, since Arrow's cast rejects a date alone
    or a time without an offset. `months`, if given, counts the records by `YYYY-MM` of `published_at`."""
    schema = records_schema()
    if not lines:
        return schema.empty_table()
    data = b"\n".join(lines)
    table = pa_json.read_json(
        io.BytesIO(data),
        read_options=pa_json.ReadOptions(block_size=max(1 << 20, max(map(len, lines)) + 1)),
        parse_options=pa_json.ParseOptions(explicit_schema=arrow_schema(Record, timestamps=False),
                                           unexpected_field_behavior="error"),
    )
    if months is not None:
        _count_months(table.column(MONTH_FIELD), months)
    stamped = set(timestamp_columns(schema))
    columns = [_timestamps(table.column(f.name), f.name) if f.name in stamped else table.column(f.name)
               for f in schema]
    # one chunk per column: the bytes written must not depend on how the reader split its blocks across threads
    return pa.Table.from_arrays(columns, schema=schema).combine_chunks()


def papers_table(rows: Sequence[dict[str, Any]]) -> pa.Table:
    """Rows of the papers index, each checked against `PaperRow`, as one table of `papers_schema()`."""
    checked = [PaperRow.model_validate(row).model_dump() for row in rows]
    return pa.Table.from_pylist(checked, schema=papers_schema())


def _row_groups(lines: Sequence[bytes], limit: int) -> Iterator[Sequence[bytes]]:
    start, size = 0, 0
    for i, line in enumerate(lines):
        if size and size + len(line) > limit:
            yield lines[start:i]
            start, size = i, 0
        size += len(line) + 1
    yield lines[start:]


def _shards(tables: Iterator[pa.Table], schema: pa.Schema, shard_bytes: int,
            last: Callable[[], dict[bytes, bytes]] | None = None) -> list[bytes]:
    """Each table as one row group; a new file once the current one holds `shard_bytes`; never no file. `schema`
    may carry metadata for every file's footer; `last()`, called once the tables are spent, adds to the last's."""
    shards: list[bytes] = []
    sink = pa.BufferOutputStream()
    writer = pq.ParquetWriter(sink, schema, **_WRITER)
    for i, table in enumerate(tables):
        # a file is closed only when more follows (the last one stays open) and never before its first row group
        if i and sink.tell() >= shard_bytes:
            writer.close()
            shards.append(sink.getvalue().to_pybytes())
            sink = pa.BufferOutputStream()
            writer = pq.ParquetWriter(sink, schema, **_WRITER)
        writer.write_table(table, row_group_size=max(1, table.num_rows))
    if last is not None:
        writer.add_key_value_metadata(last())
    writer.close()
    shards.append(sink.getvalue().to_pybytes())
    return shards


#: Footer keys: the fingerprint of everything a file's bytes depend on, and the records per month it was made with.
INPUT_KEY = b"notepipe.input_sha256"
MONTHS_KEY = b"notepipe.months"


def fingerprint(schema: pa.Schema, data: Sequence[bytes], *params: object) -> str:
    """sha256 of what a Parquet output's bytes are a function of: its input lines, its schema (so the model it is
    derived from), the code that converts and writes, the writer's options and version, and `params`. Equal
    fingerprints mean equal bytes, so a file made from the same one can be kept."""
    digest = hashlib.sha256()
    for part in (schema.serialize().to_pybytes(), pa.__version__.encode(), Path(__file__).read_bytes(),
                 Path(_schema.__file__).read_bytes(), json.dumps(_WRITER, sort_keys=True).encode(),
                 repr(params).encode()):
        digest.update(len(part).to_bytes(8, "big") + part)
    for line in data:
        digest.update(line)
        digest.update(b"\n")
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Previous:
    """The Parquet files of the last run: where they are and the sha256 its manifest lists for each."""

    folder: Path
    sha256: dict[str, str]

    def files(self, prefix: str, expect: str) -> tuple[dict[str, bytes], dict[str, int]] | None:
        """The files named `prefix…`, if every one is still as the manifest lists it and was made from input of
        fingerprint `expect`; with the months stored in the last. None otherwise (then they are rebuilt)."""
        names = sorted(rel for rel in self.sha256 if rel.startswith(prefix))
        try:
            footer = pq.read_metadata(self.folder / names[-1]).metadata if names else None
            if not footer or footer.get(INPUT_KEY) != expect.encode():
                return None
            out = {rel: (self.folder / rel).read_bytes() for rel in names}
            if any(hashlib.sha256(data).hexdigest() != self.sha256[rel] for rel, data in out.items()):
                return None
            months = json.loads(footer[MONTHS_KEY])
        except (OSError, ValueError, KeyError, pa.ArrowException):
            return None
        return out, months


def _rows(data: bytes) -> int:
    return int(pq.read_metadata(pa.BufferReader(data)).num_rows)


@dataclass(slots=True)
class Outputs:
    """Parquet files, relative path → (bytes, rows), and the records per month (of `published_at`)."""

    files: dict[str, tuple[bytes, int]] = field(default_factory=dict)
    months: dict[str, int] = field(default_factory=dict)


def records_parquet(lines: Sequence[bytes], *, previous: Previous | None = None, digest: Sequence[bytes] | None = None,
                    shard_bytes: int | None = None, row_group_bytes: int | None = None) -> Outputs:
    """The record shards `data/records-NNNNN-of-NNNNN.parquet` for record lines sorted by id (at least one file,
    maybe of no rows) and the records per month. The last run's files are kept when made from the same input:
    `digest` stands for the lines in the fingerprint when given (the sha256 of the JSONL shards that hold exactly
    them, already computed: hashing the lines again is most of what keeping the files costs).
    The sizes default to SHARD_BYTES and ROW_GROUP_JSON_BYTES as they are at call time."""
    shard_bytes = SHARD_BYTES if shard_bytes is None else shard_bytes
    row_group_bytes = ROW_GROUP_JSON_BYTES if row_group_bytes is None else row_group_bytes
    expect = fingerprint(records_schema(), lines if digest is None else digest, shard_bytes, row_group_bytes)
    kept = previous.files(RECORDS_PREFIX, expect) if previous is not None else None
    if kept is not None:
        files, months = kept
        return Outputs({rel: (data, _rows(data)) for rel, data in files.items()}, months)
    counted: Counter[str] = Counter()
    tables = (records_table(group, counted) for group in _row_groups(lines, row_group_bytes))
    schema = records_schema().with_metadata({INPUT_KEY: expect.encode()})
    # the months go into the last file's footer, so kept files still answer them (known once all is read)
    shards = _shards(tables, schema, shard_bytes,
                     last=lambda: {MONTHS_KEY: json.dumps(dict(sorted(counted.items()))).encode()})
    return Outputs({f"{RECORDS_PREFIX}{i:05d}-of-{len(shards):05d}.parquet": (data, _rows(data))
                    for i, data in enumerate(shards)}, dict(sorted(counted.items())))


def papers_parquet(rows: Sequence[dict[str, Any]], digest: bytes, *, previous: Previous | None = None) -> Outputs:
    """`data/papers.parquet`, one row group (the index is small), from the index rows; `digest` (the sha256 of
    their JSONL) stands for them in the fingerprint."""
    expect = fingerprint(papers_schema(), [digest])
    kept = previous.files(PAPERS_PARQUET, expect) if previous is not None else None
    if kept is not None:
        files, _ = kept
        return Outputs({rel: (data, _rows(data)) for rel, data in files.items()})
    schema = papers_schema().with_metadata({INPUT_KEY: expect.encode()})
    [data] = _shards(iter([papers_table(rows)]), schema, SHARD_BYTES, last=lambda: {MONTHS_KEY: b"{}"})
    return Outputs({PAPERS_PARQUET: (data, len(rows))})
