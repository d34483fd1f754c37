"""Atomic, deterministic JSONL writing."""

from __future__ import annotations

import contextlib
import json
import re
from collections.abc import Iterable
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel
from pydantic_core import PydanticSerializationError

from notepipe._atomic import atomic_open
from notepipe.models import ErrorRecord, Record

# Models made of strings, ints, None and lists of them (and of such models) only: for these pydantic's own JSON
# is byte for byte what json.dumps writes below (raw UTF-8, the same escapes, no spaces), without the dicts.
_NATIVE_JSON = frozenset({Record, ErrorRecord})


# Characters that JSON allows raw inside a string but that line readers take for line ends: Python's
# `str.splitlines()` (and so many JSONL readers) breaks at all three, JavaScript at U+2028 and U+2029. Code
# blocks keep them verbatim, so they are written escaped. They can only occur inside strings, where the
# `\uXXXX` escape reads back as the same character.
_LINE_BREAKS = re.compile("[\u2028\u2029\u0085]")


def _escape_line_break(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def dumps(obj: BaseModel | dict[str, Any]) -> str:
    """One JSON line: UTF-8 text (ensure_ascii=False) but U+2028, U+2029 and U+0085 escaped, field order as
    declared, no trailing newline."""
    line = None
    if type(obj) in _NATIVE_JSON:
        # A lone surrogate fails here: json.dumps keeps it, and so does this line.
        with contextlib.suppress(PydanticSerializationError):
            line = obj.model_dump_json()
    if line is None:
        data = obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj
        line = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return _LINE_BREAKS.sub(_escape_line_break, line) if _LINE_BREAKS.search(line) else line


def atomic_writer(path: str | Path) -> AbstractContextManager[IO[str]]:
    """Write text to a temporary file beside `path` and rename it into place only if the block succeeds."""
    return atomic_open(path, "w")


def write_jsonl(path: str | Path, rows: Iterable[BaseModel | dict[str, Any]]) -> int:
    """Atomically write rows as JSONL; returns how many were written."""
    n = 0
    with atomic_writer(path) as fh:
        for row in rows:
            fh.write(dumps(row) + "\n")
            n += 1
    return n
