"""Shared cutting of text dumps: find where the post starts and ends among the page chrome."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from notepipe.formats._chrome import is_chrome, is_counter

_SENTENCE_END = re.compile(r"[。.!?！？다요]$")


def cut_tail(lines: Sequence[str], start: int, is_tail: Callable[[str], bool]) -> list[str]:
    """Lines from `start` up to the first tail marker, without trailing counters or blank lines."""
    end = len(lines)
    for i in range(start, len(lines)):
        if is_tail(lines[i]):
            end = i
            break
    body = list(lines[start:end])
    while body and (not body[-1].strip() or is_counter(body[-1]) or is_chrome(body[-1])):
        body.pop()
    return body


def line_keys(lines: Sequence[str]) -> list[str]:
    """Each line stripped and case-folded: how the `is_dump` checks compare lines with the chrome strings."""
    return [line.strip().casefold() for line in lines]


def looks_like_title(line: str) -> bool:
    """A short line without sentence-final punctuation: plausible as a heading or post title."""
    line = line.strip()
    return 0 < len(line) <= 120 and not _SENTENCE_END.search(line) and "://" not in line


def first_content(lines: Sequence[str], start: int = 0) -> int:
    """Index of the first non-blank line at or after `start` (len(lines) if none)."""
    i = start
    while i < len(lines) and not lines[i].strip():
        i += 1
    return i
