"""Dates as the sites write them → ISO 8601 strings."""

from __future__ import annotations

import re
from datetime import datetime

# Searched for, not parsed with `datetime.fromisoformat`: the date stands inside a line ("Posted at 2024-01-05"),
# sites write one-digit fields and a space before the offset, and fromisoformat also takes forms no site writes
# (`20240105`, `2024-W01-1`) that must stay non-dates.
_ISO = re.compile(
    r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s*(Z|[+-]\d{2}:?\d{2})?)?"
)
_JA = re.compile(r"(\d{4})\s*[年/.]\s*(\d{1,2})\s*[月/.]\s*(\d{1,2})\s*日?")
_KO = re.compile(r"(\d{4})\s*년\s*(\d{1,2})\s*월\s*(\d{1,2})\s*일")


def _valid(y: str, m: str, d: str) -> bool:
    try:
        datetime(int(y), int(m), int(d))
    except ValueError:
        return False
    return True


def to_iso(value: str | None) -> str | None:
    """Return the first date in `value` as ISO 8601 (date, or date-time with offset when given)."""
    if not value:
        return None
    m = _ISO.search(value)
    if m and _valid(*m.group(1, 2, 3)):
        y, mo, d, hh, mm, ss, tz = m.groups()
        date = f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
        if hh is None:
            return date
        zone = "" if tz is None else "+00:00" if tz == "Z" else tz if ":" in tz else f"{tz[:3]}:{tz[3:]}"
        return f"{date}T{int(hh):02d}:{mm}:{ss or '00'}{zone}"
    for pattern in (_JA, _KO):
        m = pattern.search(value)
        if m and _valid(*m.groups()):
            y, mo, d = m.groups()
            return f"{int(y):04d}-{int(mo):02d}-{int(d):02d}"
    return None
