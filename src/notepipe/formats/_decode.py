"""Bytes → text: BOMs, declared charsets, then strict trials of the legacy ja/ko encodings."""

from __future__ import annotations

import codecs
import re

_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
_LEGACY = ("cp932", "euc_jp", "cp949")
_CJK = re.compile(r"[\u3041-\u30ff\u3400-\u9fff\uac00-\ud7af]")


class UndecodableError(ValueError):
    """The bytes are not text in any encoding we accept."""


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode input bytes; raise UndecodableError naming what was tried."""
    for bom, encoding in ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data[len(bom) :].decode(encoding, errors="replace") if encoding == "utf-8" else data.decode(encoding)
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 20:
        raise UndecodableError("binary data (NUL bytes), not a text document")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates = []
    m = _DECLARED.search(data[:4096])
    for name in (declared, m.group(1).decode("ascii") if m else None):
        if name:
            try:
                candidates.append(codecs.lookup(name).name)
            except LookupError:
                continue
    for encoding in [*candidates, *_LEGACY]:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        # A legacy codec "succeeding" on random bytes yields rare characters: demand real kana/Hangul/Han.
        if encoding in candidates or len(_CJK.findall(text)) >= max(1, len(text) // 20):
            return text
    raise UndecodableError(
        f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not Shift_JIS, EUC-JP or CP949; "
        "re-save the file as UTF-8"
    )
