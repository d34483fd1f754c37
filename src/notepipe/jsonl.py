"""Atomic, deterministic JSONL writing."""

from __future__ import annotations

import json
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


def dumps(obj: BaseModel | dict[str, Any]) -> str:
    """One JSON line: UTF-8 text (ensure_ascii=False), field order as declared, no trailing newline."""
    if type(obj) in _NATIVE_JSON:
        try:
            return obj.model_dump_json()
        except PydanticSerializationError:  # a lone surrogate: json.dumps keeps it, and so does this line
            pass
    data = obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))


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
