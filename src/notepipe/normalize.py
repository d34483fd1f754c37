"""`normalize`: many local files → records and error lines, with counters; one bad file never stops the rest."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from notepipe.errors import InputRefusedError, stage_of
from notepipe.models import ErrorRecord, Record
from notepipe.pipeline import normalize_bytes

SUFFIXES = frozenset({".txt", ".html", ".htm", ".md", ".markdown", ".mkd", ".mdown", ".json"})
#: The largest local input read (the same default as `[http] max_bytes` for fetched bodies): past it, an error line.
MAX_INPUT_BYTES = 20_000_000


@dataclass(frozen=True, slots=True)
class Refused:
    """A file found in an input folder that is not to be read; `normalize_paths` turns it into an error line."""

    path: Path
    reason: str


@dataclass
class Stats:
    """Per-run counters, printed as the end-of-run summary."""

    files: int = 0
    records: int = 0
    errors: int = 0
    by_source: Counter[str] = field(default_factory=Counter)
    by_lang: Counter[str] = field(default_factory=Counter)
    by_error: Counter[str] = field(default_factory=Counter)
    chars: int = 0

    def summary(self) -> str:
        """A short multi-line, human-readable summary."""
        def fmt(counter: Counter[str]) -> str:
            return ", ".join(f"{k}={v}" for k, v in sorted(counter.items())) or "-"

        return (
            f"files={self.files} records={self.records} errors={self.errors} chars={self.chars}\n"
            f"  by source:   {fmt(self.by_source)}\n"
            f"  by language: {fmt(self.by_lang)}\n"
            f"  errors by stage: {fmt(self.by_error)}"
        )


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
        data = fh.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise InputRefusedError(f"{shown(path)} is larger than max_bytes={max_bytes:,} bytes: not read (raise the cap "
                                "with --max-bytes, or [http] max_bytes for curate, to read it)")
    return data


def _message(exc: BaseException, path: Path) -> str:
    if isinstance(exc, InputRefusedError):
        return str(exc)
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {shown(path)} (check the path)"
    if isinstance(exc, IsADirectoryError):
        return f"{shown(path)} is a directory"
    if isinstance(exc, PermissionError):
        return f"permission denied reading {shown(path)}"
    return str(exc) or type(exc).__name__


def normalize_paths(files: Iterable[Path | Refused], stats: Stats,
                    max_bytes: int = MAX_INPUT_BYTES) -> Iterator[Record | ErrorRecord]:
    """Yield each file's records, or one ErrorRecord for a file that fails or is refused; counts go into `stats`.

    Source paths are the names the OS gives, with any byte that is not UTF-8 written as `\\xNN` (see `shown`).
    """
    for item in files:
        stats.files += 1
        path = item.path if isinstance(item, Refused) else item
        try:
            if isinstance(item, Refused):
                raise InputRefusedError(item.reason)
            records = normalize_bytes(read_input(path, max_bytes), source_path=shown(path))
        except Exception as exc:
            stage = stage_of(exc)
            stats.errors += 1
            stats.by_error[stage] += 1
            yield ErrorRecord(source_path=shown(path), stage=stage,
                              error=type(exc).__name__, message=_message(exc, path))
            continue
        for record in records:
            stats.records += 1
            stats.by_source[record.source] += 1
            stats.by_lang[record.lang] += 1
            stats.chars += len(record.text)
            yield record
