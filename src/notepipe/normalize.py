"""`normalize`: many local files → records and error lines, with counters; one bad file never stops the rest."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from notepipe.formats import EmptyInputError, FormatError, UndecodableError
from notepipe.models import ErrorRecord, Record
from notepipe.pipeline import normalize_bytes

SUFFIXES = frozenset({".txt", ".html", ".htm", ".md", ".markdown", ".json"})


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


def expand(paths: Iterable[str | Path]) -> list[Path]:
    """Files in input order; directories expand recursively (sorted) to files with known suffixes."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            out.extend(
                sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES
                       and not any(part.startswith(".") for part in p.relative_to(path).parts))
            )
        else:
            out.append(path)
    return out


def _stage(exc: BaseException) -> str:
    if isinstance(exc, OSError):
        return "read"
    if isinstance(exc, UndecodableError):
        return "decode"
    if isinstance(exc, (EmptyInputError, FormatError)):
        return "extract"
    return "process"


def _message(exc: BaseException, path: Path) -> str:
    if isinstance(exc, FileNotFoundError):
        return f"no such file: {path} (check the path)"
    if isinstance(exc, IsADirectoryError):
        return f"{path} is a directory"
    if isinstance(exc, PermissionError):
        return f"permission denied reading {path}"
    return str(exc) or type(exc).__name__


def normalize_paths(files: Iterable[Path], stats: Stats) -> Iterator[Record | ErrorRecord]:
    """Yield each file's records, or one ErrorRecord for a file that fails; counts go into `stats`."""
    for path in files:
        stats.files += 1
        try:
            records = normalize_bytes(path.read_bytes(), source_path=os.fspath(path))
        except Exception as exc:
            stage = _stage(exc)
            stats.errors += 1
            stats.by_error[stage] += 1
            yield ErrorRecord(source_path=os.fspath(path), stage=stage,  # type: ignore[arg-type]
                              error=type(exc).__name__, message=_message(exc, path))
            continue
        for record in records:
            stats.records += 1
            stats.by_source[record.source] += 1
            stats.by_lang[record.lang] += 1
            stats.chars += len(record.text)
            yield record
