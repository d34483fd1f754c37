"""Atomic file writes: a temporary file beside the target, fsync, rename; readers never see a partial file."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any


@contextmanager
def _staged(path: Path, mode: str, durable: bool) -> Iterator[tuple[IO[Any], Path]]:
    """A temporary file beside `path`, written by the block and flushed (fsync'd if `durable`) but not renamed;
    removed if the block fails."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o644)  # mkstemp makes 0600; what we write is for everyone to read
        opened = os.fdopen(fd, mode) if "b" in mode else os.fdopen(fd, mode, encoding="utf-8", newline="\n")
        with opened as fh:
            yield fh, Path(tmp)
            fh.flush()
            if durable:
                os.fsync(fh.fileno())
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


@contextmanager
def atomic_open(path: str | Path, mode: str = "w", *, durable: bool = True) -> Iterator[IO[Any]]:
    """Open a temporary file beside `path` (`"w"`: UTF-8 text with `\\n` newlines, `"wb"`: bytes) and rename it
    into place only if the block succeeds; on any error the target is untouched and the temporary file gone.

    `durable=False` skips the fsync before the rename. Readers still see the old file or the whole new one, but
    after a power loss the new one may be empty or short: only for data that is checked when read and rebuilt.
    """
    path = Path(path)
    with _staged(path, mode, durable) as (fh, tmp):
        yield fh
    _rename([(tmp, path)])


def atomic_write_bytes(path: str | Path, data: bytes, *, durable: bool = True) -> None:
    """Write `data` to `path` atomically (`durable`: as `atomic_open`)."""
    with atomic_open(path, "wb", durable=durable) as fh:
        fh.write(data)


@contextmanager
def atomic_group() -> Iterator[Callable[[Path, bytes], None]]:
    """`write(path, data)` for several files that are replaced together: each is written and fsync'd beside its
    target, and the renames, in call order, happen only once the block has succeeded. A failed write (a full
    disk) leaves every target as it was and no temporary file behind."""
    done: list[tuple[Path, Path]] = []

    def write(path: Path, data: bytes) -> None:
        with _staged(path, "wb", durable=True) as (fh, tmp):
            fh.write(data)
        done.append((tmp, path))

    try:
        yield write
    except BaseException:
        _discard(done)
        raise
    _rename(done)


def _rename(moves: list[tuple[Path, Path]]) -> None:
    """Rename each temporary file onto its target in order; if one rename fails, remove the temporary files left."""
    for i, (tmp, path) in enumerate(moves):
        try:
            tmp.replace(path)
        except BaseException:
            _discard(moves[i:])
            raise


def _discard(moves: list[tuple[Path, Path]]) -> None:
    for tmp, _ in moves:
        tmp.unlink(missing_ok=True)


def sweep_temp(root: str | Path) -> int:
    """Delete temporary files a killed writer left under `root`; call only while holding root's lock."""
    removed = 0
    for path in Path(root).rglob(".*.tmp"):
        if path.is_file():
            path.unlink(missing_ok=True)
            removed += 1
    return removed
