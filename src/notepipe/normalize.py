"""`normalize`: input bytes or files → records; many local files → records and error lines, with counts (one bad
file never stops the rest). `pipeline.draft_record` and `finish_record` turn each extracted post into its record."""

from __future__ import annotations

import dataclasses
import hashlib
import os
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from notepipe.document import parse
from notepipe.errors import ChromeOnlyError, InputRefusedError, stage_of
from notepipe.formats import Extracted, Input, decode, extract
from notepipe.formats._dates import to_iso
from notepipe.formats._decode import charset_of
from notepipe.models import ErrorRecord, RawMeta, Record
from notepipe.papers import Verdict, explain_papers
from notepipe.pipeline import Draft, draft_record, finish_record
from notepipe.reports import NormalizeReport
from notepipe.text import DUMP_FORMATS, repair_dump

SUFFIXES = frozenset({".txt", ".html", ".htm", ".md", ".markdown", ".mkd", ".mdown", ".json"})
#: The largest local input read (the same default as `[http] max_bytes` for fetched bodies): past it, an error line.
MAX_INPUT_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Refused:
    """A file found in an input folder that is not to be read; `normalize_paths` turns it into an error line."""

    path: Path
    reason: str


T = TypeVar("T")
D = TypeVar("D")

_SURROGATE = re.compile(r"[\ud800-\udfff]")
_TEXT_FIELDS = ("body", "title", "author", "published_at", "updated_at", "url", "native_id", "front_matter")
_UNSET = (None, "", "unknown")


def _no_surrogates(ex: Extracted) -> Extracted:
    """Lone UTF-16 surrogates (a JSON `\\ud83d` escape cut from its pair) become U+FFFD, as stray bytes do:
    they are not characters and no UTF-8 output can hold them."""
    fields = {name: getattr(ex, name) for name in _TEXT_FIELDS}
    # str fields, and `tags` below: keyword arguments of `dataclasses.replace`, one type per field
    fixed: dict[str, Any] = {name: _SURROGATE.sub("\ufffd", value) for name, value in fields.items()
                             if isinstance(value, str) and _SURROGATE.search(value)}
    if any(_SURROGATE.search(tag) for tag in ex.tags):
        fixed["tags"] = tuple(_SURROGATE.sub("\ufffd", tag) for tag in ex.tags)
    return dataclasses.replace(ex, **fixed) if fixed else ex


def _apply_meta(record: Record, meta: RawMeta) -> Record:
    """A snapshot's one post: the sidecar names its id and site (it was fetched from there, whatever the file
    looks like); url and author come from the sidecar where the extractor found none, and so does a Hatena
    entry's `updated_at` (its version is the feed's `<updated>`; the entry page does not show it)."""
    fill = {name: getattr(meta, name) for name in ("url", "author")
            if getattr(record, name) in _UNSET and getattr(meta, name) not in _UNSET}
    if meta.source == "hatena" and record.updated_at in _UNSET and (updated := to_iso(meta.version)):
        fill["updated_at"] = updated
    return record.model_copy(update={"id": meta.key, "source": meta.source, **fill})


def normalize_bytes(data: bytes, source_path: str | None = None, fetched_at: str | None = None, *,
                    meta: RawMeta | None = None) -> list[Record]:
    """Records for one input's bytes (one per post; an API list page holds several).

    `meta`, a raw snapshot's sidecar, supplies hints: the served charset, `fetched_at`, the source path
    (`raw/<meta.path>` unless `source_path` is given) and, for a snapshot holding one post, the record id
    (`meta.key`) plus `source`, `url` and `author` where the content itself does not say.
    """
    return finish_input(draft_input(data, source_path, fetched_at, meta=meta))


@dataclass(slots=True)
class DraftInput:
    """One input's posts drafted (`pipeline.draft_record`): what `finish_input` turns into its records."""

    drafts: list[Draft]
    meta: RawMeta | None


def draft_input(data: bytes, source_path: str | None = None, fetched_at: str | None = None, *,
                meta: RawMeta | None = None) -> DraftInput:
    """The first half of `normalize_bytes`: decode, extract and draft each post; raises what it would."""
    if meta is not None:
        source_path = source_path or f"raw/{meta.path}"
        fetched_at = fetched_at or meta.fetched_at
    digest = hashlib.sha256(data).hexdigest()
    inp = Input(text=decode(data, declared=charset_of(meta.media_type) if meta else None), path=source_path)
    # Peak memory for one long input: the bytes, the decoded text and each post's extraction are let go as soon
    # as the next step has what it needs (held to the end, they were a third of the peak).
    del data
    posts = extract(inp)
    del inp
    posts.reverse()
    drafts: list[Draft] = []
    while posts:
        drafts.append(draft_record(_no_surrogates(posts.pop()), digest=digest, index=len(drafts),
                                   source_path=source_path, fetched_at=fetched_at))
    if len(drafts) == 1 and not drafts[0].text.strip():
        title = f" (title: {drafts[0].title})" if drafts[0].title else ""
        raise ChromeOnlyError(f"no post content left once the page chrome is removed{title}")
    return DraftInput(drafts, meta)


def finish_input(drafted: DraftInput) -> list[Record]:
    """The second half of `normalize_bytes`: each drafted post's record (`pipeline.finish_record`)."""
    drafts, meta = drafted.drafts, drafted.meta
    drafts.reverse()
    records: list[Record] = []
    while drafts:  # each draft let go once its record is built
        records.append(finish_record(drafts.pop()))
    if meta is not None and len(records) == 1:
        records = [_apply_meta(records[0], meta)]
    return records


def explain_bytes(data: bytes, source_path: str | None = None) -> list[list[Verdict]]:
    """Every paper candidate of each post in one input, with the judge's verdict: accepted (how) or rejected (why)."""
    inp = Input(text=decode(data), path=source_path)
    out = []
    for ex in extract(inp):
        body = _no_surrogates(ex).body
        body = repair_dump(body) if ex.format in DUMP_FORMATS else body
        out.append(explain_papers(parse((ex.front_matter or "") + body), ex.title)[1])
    return out


def normalize_file(path: str | Path) -> list[Record]:
    """Records for one file on disk."""
    path = Path(path)
    return normalize_bytes(path.read_bytes(), source_path=str(path))


def shown(path: str | Path) -> str:
    """A path as records and errors name it: the OS's bytes as UTF-8, any byte that is not UTF-8 as `\\xNN`.
    Python hands such bytes over surrogate-escaped (PEP 383): readable as a path, but not writable as UTF-8."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def escapes(path: Path, root: Path, name: str | None = None) -> str | None:
    """Why `path`, found inside the folder `root`, must not be read: it is (or passes through) a symlink that leaves
    `root`. Following it would turn any file the process can read (`in/passwd.txt -> /etc/passwd`) into a record.
    `name` is how the message names the file (default: the path)."""
    target = path.resolve()
    if target.is_relative_to(root.resolve()):
        return None
    return (f"{name or shown(path)} is a symlink to {shown(target)}, outside the input folder {shown(root)}: "
            f"refused (copy the file into {shown(root)} if it belongs there)")


def expand_inputs(paths: Iterable[str | Path]) -> list[Path | Refused]:
    """Files in input order; directories expand recursively (sorted) to files with known suffixes. A file inside
    a folder that links outside it comes back as Refused; a file named on the command line is read as named."""
    out: list[Path | Refused] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            for found in sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                                and not any(part.startswith(".") for part in p.relative_to(path).parts)):
                reason = escapes(found, path)
                out.append(Refused(found, reason) if reason else found)
        else:
            out.append(path)
    return out


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """The files `expand_inputs` would read (refused ones left out)."""
    return [p for p in expand_inputs(paths) if isinstance(p, Path)]


def read_input(path: Path, max_bytes: int = MAX_INPUT_BYTES) -> bytes:
    """A local input's bytes, or InputRefusedError past `max_bytes` (read at most one byte more: a file that
    grows while read is still capped)."""
    with path.open("rb") as fh:
        # Only what the file holds is asked for: `read(n)` sets aside n bytes first (20 MB for each small file).
        # A file that has grown since (or a pipe, of size 0) is read on, to the same cap.
        size = os.fstat(fh.fileno()).st_size
        data = fh.read(min(size, max_bytes) + 1)
        if size < len(data) <= max_bytes:
            data += fh.read(max_bytes + 1 - len(data))
    if len(data) > max_bytes:
        raise InputRefusedError(f"{shown(path)} is larger than max_bytes={max_bytes:,} bytes: not read (raise the cap "
                                "with --max-bytes, or [http] max_bytes for curate, to read it)")
    return data


def error_message(exc: BaseException, path: Path) -> str:
    """What an error line says about `path` failing with `exc`: the OS errors an input meets in plain words, any
    other exception's own message (or its type's name when it has none)."""
    if isinstance(exc, InputRefusedError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {shown(path)} (check the path)"
    if isinstance(exc, IsADirectoryError):
        return f"{shown(path)} is a directory"
    if isinstance(exc, PermissionError):
        return f"permission denied reading {shown(path)}"
    return str(exc) or type(exc).__name__


#: How many input bytes `normalize_paths` drafts before it tokenizes them: the analyzer calls of a batch run back to
#: back, where MeCab's dictionary stays in the CPU caches (per post, the other stages evict it; a batch of about
#: fifty posts is a fifth faster than one post at a time on the benchmark corpus). The drafts held are about the
#: size of the text they were read from.
BATCH_BYTES = 1_000_000


def drafted_batches(items: Iterable[T], draft: Callable[[T], tuple[D, int]]) -> Iterator[list[tuple[T, D]]]:
    """Each item with its draft, a batch at a time: `draft(item)` gives the draft and the input bytes it read, and a
    batch ends once BATCH_BYTES have been read. The caller tokenizes a batch before the next one is drafted."""
    batch: list[tuple[T, D]] = []
    size = 0
    for item in items:
        drafted, read = draft(item)
        batch.append((item, drafted))
        size += read
        if size >= BATCH_BYTES:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def normalize_paths(files: Iterable[Path | Refused], stats: NormalizeReport,
                    max_bytes: int = MAX_INPUT_BYTES) -> Iterator[Record | ErrorRecord]:
    """Yield each file's records, or one ErrorRecord for a file that fails or is refused, in input order; counts go
    into `stats` (`stats.files` as each file is read). Files are read and drafted about BATCH_BYTES at a time,
    then tokenized.

    Source paths are the names the OS gives, with any byte that is not UTF-8 written as `\\xNN` (see `shown`).
    """
    def draft(item: Path | Refused) -> tuple[DraftInput | Exception, int]:
        stats.files += 1
        try:
            if isinstance(item, Refused):
                raise InputRefusedError(item.reason)
            data = read_input(item, max_bytes)
            return draft_input(data, source_path=shown(item)), len(data)
        except Exception as exc:
            return exc, 0

    for batch in drafted_batches(files, draft):
        yield from _finish_batch(batch, stats)


def _finish_batch(batch: list[tuple[Path | Refused, DraftInput | Exception]], stats: NormalizeReport
                  ) -> Iterator[Record | ErrorRecord]:
    """Each drafted file's records (or its error line), in order; the batch is emptied as it goes."""
    batch.reverse()
    while batch:
        item, drafted = batch.pop()
        path = item.path if isinstance(item, Refused) else item
        try:
            if isinstance(drafted, Exception):
                raise drafted
            records = finish_input(drafted)
        except Exception as exc:
            stage = stage_of(exc)
            stats.errors += 1
            stats.errors_by_stage[stage] += 1
            yield ErrorRecord(source_path=shown(path), stage=stage,
                              error=type(exc).__name__, message=error_message(exc, path))
            continue
        del drafted
        for record in records:
            stats.records += 1
            stats.by_source[record.source] += 1
            stats.by_lang[record.lang] += 1
            stats.chars += len(record.text)
            yield record
