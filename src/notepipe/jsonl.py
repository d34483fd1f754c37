"""Atomic, deterministic JSONL writing."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from pathlib import Path
from typing import IO, Any

from pydantic import BaseModel, TypeAdapter
from pydantic_core import PydanticSerializationError

from notepipe._atomic import atomic_open
from notepipe.models import ErrorRecord, Record, Segment

# Models made of strings, ints, None and lists of them (and of such models) only: for these pydantic's own JSON
# is byte for byte what json.dumps writes below (raw UTF-8, the same escapes, no spaces), without the dicts.
_NATIVE_JSON = frozenset({Record, ErrorRecord})


# Characters that JSON allows raw inside a string but that line readers take for line ends: Python's
# `str.splitlines()` (and so many JSONL readers) breaks at all three, JavaScript at U+2028 and U+2029. Code
# blocks keep them verbatim, so they are written escaped. They can only occur inside strings, where the
# `\uXXXX` escape reads back as the same character.
_LINE_BREAKS = re.compile("[\u2028\u2029\u0085]")
# The same three in UTF-8, as whole sequences: a byte class of their bytes would match inside most Japanese and
# Korean characters. In valid UTF-8 these sequences are always these characters.
_LINE_BREAKS_UTF8 = re.compile(b"\xe2\x80[\xa8\xa9]|\xc2\x85")


def _escape_line_breaks(line: str) -> str:
    return _LINE_BREAKS.sub(lambda m: f"\\u{ord(m.group()):04x}", line) if _LINE_BREAKS.search(line) else line


def _escape_line_breaks_utf8(line: bytes) -> bytes:
    # (escaped as bytes: decoding a 70 MB line to escape it would hold two more copies of it)
    if not _LINE_BREAKS_UTF8.search(line):
        return line
    return _LINE_BREAKS_UTF8.sub(lambda m: b"\\u%04x" % ord(m.group().decode("utf-8")), line)


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def escape_surrogates(text: str) -> str:
    """JSON text with each lone surrogate written as the six characters `\\udXXX` (Python's backslashreplace).
    A lone surrogate is no character: as a JSON escape many parsers (pydantic's among them) refuse the line, and
    as UTF-8 it cannot be written at all; as text, the line is valid everywhere and still shows what was there."""
    return _SURROGATE.sub(lambda m: f"\\\\u{ord(m.group()):04x}", text)


def dumps(obj: BaseModel | dict[str, Any]) -> str:
    """One JSON line: UTF-8 text (ensure_ascii=False) but U+2028, U+2029 and U+0085 escaped, field order as
    declared, no trailing newline."""
    if isinstance(obj, BaseModel) and type(obj) in _NATIVE_JSON:
        try:
            return _escape_line_breaks(obj.model_dump_json())
        except PydanticSerializationError:  # a lone surrogate: written as its JSON escape below
            pass
    return _plain_json(obj.model_dump(mode="json") if isinstance(obj, BaseModel) else obj)


def _plain_json(data: Any) -> str:
    """JSON of plain data (dicts, lists, strings, numbers) as `dumps` writes it, lone surrogates included."""
    return _escape_line_breaks(escape_surrogates(json.dumps(data, ensure_ascii=False, separators=(",", ":"))))


def dumps_bytes(obj: BaseModel | dict[str, Any]) -> bytes:
    """`dumps(obj)` as UTF-8 bytes, made without the intermediate text where pydantic can (a record of a 20 MB
    input is a 70 MB line: its text and the encoded copy would double that)."""
    if isinstance(obj, BaseModel) and type(obj) in _NATIVE_JSON:
        try:
            raw: bytes = type(obj).__pydantic_serializer__.to_json(obj)
        except PydanticSerializationError:
            pass
        else:
            return _escape_line_breaks_utf8(raw)
    return dumps(obj).encode("utf-8")


# A record whose text is longer than LONG_TEXT characters is written in parts of at most PART_ITEMS segments or
# tokens (or PART_CHARS characters of text): as one bytes object, its line (3.7 times the input for Japanese prose)
# is held twice while pydantic copies it out of its own buffer, the peak memory of a long input.
LONG_TEXT = 500_000
PART_ITEMS = 2_000
PART_CHARS = 200_000
_SEGMENTS = TypeAdapter(list[Segment])
_STRINGS = TypeAdapter(list[str])
_STRING = TypeAdapter(str)
# The record's fields from `segments` to `tokens`, empty: they are consecutive, and outside a JSON string (where
# every `"` is escaped) the text cannot occur.
_EMPTY_MIDDLE = b',"segments":[],"text":"","tokens":[]'


def dumps_parts(obj: BaseModel | dict[str, Any]) -> Iterator[bytes]:
    """`dumps_bytes(obj)` in consecutive parts: joined, the same bytes. A long record's segments, text and tokens
    are serialized a slice at a time (JSON escapes each character on its own, so a string can be cut anywhere)."""
    if not isinstance(obj, Record) or len(obj.text) <= LONG_TEXT:
        yield dumps_bytes(obj)
        return
    shell = dumps_bytes(obj.model_copy(update={"segments": [], "text": "", "tokens": []}))
    cut = shell.index(_EMPTY_MIDDLE)
    yield shell[:cut] + b',"segments":'
    yield from _list_parts(_SEGMENTS, obj.segments)
    yield b',"text":"'
    text = obj.text
    for start in range(0, len(text), PART_CHARS):
        yield _json(_STRING, text[start : start + PART_CHARS])[1:-1]
    yield b'","tokens":'
    yield from _list_parts(_STRINGS, obj.tokens)
    yield shell[cut + len(_EMPTY_MIDDLE) :]


def _list_parts(adapter: TypeAdapter[Any], items: Sequence[Any]) -> Iterator[bytes]:
    yield b"["
    for start in range(0, len(items), PART_ITEMS):
        yield (b"," if start else b"") + _json(adapter, items[start : start + PART_ITEMS])[1:-1]
    yield b"]"


def _json(adapter: TypeAdapter[Any], value: Any) -> bytes:
    """One value as `dumps_bytes` writes it inside a line."""
    try:
        return _escape_line_breaks_utf8(adapter.dump_json(value))
    except PydanticSerializationError:  # a lone surrogate: as `dumps` writes it
        return _plain_json(adapter.dump_python(value, mode="json")).encode("utf-8")


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
