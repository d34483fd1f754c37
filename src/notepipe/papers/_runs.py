"""The text around a mention: the Latin run that ends before it and a trailing `(Authors)` / `(Venue Year)`."""

from __future__ import annotations

import re

from notepipe.papers._doc import CJK_CLASS

_SENT_END_RE = re.compile(r"(?:[a-z0-9)]{2}[.!?]|[。!?])\s+(?=\S)")
_STOP_CLASS = CJK_CLASS + "。、「」『』【】《》〈〉|>*\\[\\]"
_STOP_RE = re.compile(f"[{_STOP_CLASS}]")
_LAST_STOP_RE = re.compile(f"(?s:.*)[{_STOP_CLASS}!?]")  # its end: just after the last stop in the span


def _run_start(text: str, end: int) -> int:
    """Where the run ending at `end` starts: after the nearest stop (CJK, bracket, `!`/`?` not at the very end)."""
    if end <= 0:
        return 0
    if _STOP_RE.match(text, end - 1):
        return end
    hi, size = end - 1, 64
    while hi > 0:  # look back in growing spans: linear in how far the stop is, not in the length of `text`
        lo = max(0, hi - size)
        m = _LAST_STOP_RE.match(text, lo, hi)
        if m:
            return m.end()
        hi, size = lo, size * 4
    return 0


def latin_run_before(text: str, end: int) -> str:
    """The run of non-CJK text that ends at `end`, stopping at CJK, brackets or a sentence end."""
    i = _run_start(text, end)
    run = text[i:end]
    ends = list(_SENT_END_RE.finditer(run))
    if ends:
        run = run[ends[-1].end() :]
    return run.lstrip(" .,;:!?)]-").strip()


def latin_run_above(text: str, end: int, floor: int) -> str | None:
    """`latin_run_before(text, end)` if that run starts at or after `floor`, else None; reads only text[floor:end].

    Rules that take a run for each of many mentions on one line pass a floor (an earlier mention), so no mention
    re-reads the line from its start: linear in the line, not quadratic.
    """
    if end <= 0:
        i = 0
    elif _STOP_RE.match(text, end - 1):
        i = end
    else:
        m = _LAST_STOP_RE.match(text, floor, end - 1) if floor < end - 1 else None
        i = m.end() if m else (0 if floor <= 0 else -1)  # -1: the run starts somewhere before the floor
    # The last sentence end in the window is the run's last (a later-ending one would start later, inside it).
    ends = list(_SENT_END_RE.finditer(text, i if i >= 0 else floor, end))
    if ends:
        i = ends[-1].end()
    elif i < 0:
        return None
    return text[i:end].lstrip(" .,;:!?)]-").strip()


def split_trailing_paren(text: str) -> tuple[str, str]:
    """Split `Title (A, B, C)` / `Title (ICCV2019)` into the title and the parenthetical; keep `Big Transfer (BiT)`."""
    t = text.rstrip()
    if not t.endswith(")") or "(" not in t:
        return t, ""
    start = t.rfind("(")
    inner = t[start + 1 : -1]
    if "," in inner or " and " in inner or _VENUE_HINT_RE.search(inner) or ETAL_TAIL_RE.search(inner):
        return t[:start].rstrip(), t[start:]
    return t, ""


# "et al." in ja/ko/en: `(Patrick Lewis 외)`, `(山田 他)`, `(Smith et al.)`.
ETAL_TAIL_RE = re.compile(r"(?:\s|^)(?:외|等|他|ほか|ら|et al\.?)\s*(?:\d+\s*(?:名|명|人))?$")
_VENUE_HINT_RE = re.compile(r"(?:19|20)\d\d|\b[A-Z]{3,}\d{2,4}\b|arXiv|Workshop|Proc")
