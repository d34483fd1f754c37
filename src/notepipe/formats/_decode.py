"""Bytes → text: BOMs, declared charsets, then strict trials of the legacy ja/ko encodings."""

from __future__ import annotations

import codecs
import re

import charset_normalizer

from notepipe.errors import UndecodableError

# A declared encoding: `charset=` in a Content-Type or an HTML <meta>, `encoding=` in an XML declaration.
_DECLARED = re.compile(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_.:-]{2,40})""", re.IGNORECASE)
# How far into a document its declaration is looked for: 2 KB (what bs4 reads) misses an EUC-JP page's
# <meta charset> after 2 KB of inline CSS, and the detector then says Korean.
_DECLARED_WITHIN = 4096
# ISO-2022-JP switches to JIS X 0208 with ESC $ B (or ESC $ @); nothing else we read holds those bytes.
_ISO2022_JP = re.compile(rb"\x1b\$[@B]")
_LEGACY = ("cp932", "euc_jp", "cp949", "euc_kr", "iso2022_jp")
# Characters real ja/ko/en text is made of; a wrong legacy codec produces half-width kana, private-use
# and rare symbols instead.
_COMMON = re.compile(r"[\t\n\r\x20-\x7e\u3000-\u30ff\u4e00-\u9fff\uac00-\ud7af\uff01-\uff5e\u00a0-\u00ff\u2010-\u2027]")
_MIN_COMMON = 0.97
# Past this size the detector reads only a sample (cut at a newline, which no legacy ja/ko codec uses inside a
# character): on a whole 6 MB Shift_JIS page it holds 190 MB. The sample's guess must decode the whole input
# strictly and plausibly; otherwise the whole input goes to the detector.
_SAMPLE = 1_000_000


def charset_of(media_type: str | None) -> str | None:
    """The charset a Content-Type value declares, if any (`text/html; charset=EUC-JP` → `EUC-JP`)."""
    return _declared(media_type.encode("utf-8")) if media_type else None


def _declared(data: bytes) -> str | None:
    m = _DECLARED.search(data)
    return m.group(1).decode("ascii") if m else None


def _plausible(text: str) -> float:
    # Counted from what is left once the common characters are removed, not by listing every match (findall),
    # which holds 170 MB for a 6 MB Shift_JIS page.
    return (len(text) - len(_COMMON.sub("", text))) / max(1, len(text))


def _strict(data: bytes, encoding: str) -> str | None:
    """The bytes decoded strictly with `encoding`, if that gives text that reads as ja/ko/en text."""
    try:
        text = data.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return None
    return text if text and _plausible(text) >= _MIN_COMMON else None


def decode(data: bytes, declared: str | None = None) -> str:
    """Decode input bytes; raise UndecodableError naming what was tried."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8) :]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) and (text := _strict(data, "utf-16")):
        return text
    if b"\x00" in data[:4096] and data.count(b"\x00") > len(data) // 20:
        raise UndecodableError("binary data (NUL bytes), not a text document")
    # 7-bit ISO-2022-JP would pass as UTF-8, escapes and all.
    if _ISO2022_JP.search(data) and data.isascii() and (text := _strict(data, "iso2022_jp")):
        return text
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        utf8_error = exc
    candidates = []
    for name in (declared, _declared(data[:_DECLARED_WITHIN])):
        if name:
            try:
                candidates.append(codecs.lookup(name).name)
            except LookupError:
                continue
    for encoding in candidates:
        if text := _strict(data, encoding):
            return text  # a declared charset that decodes cleanly wins
    if len(data) > _SAMPLE and (cut := data.rfind(b"\n", 0, _SAMPLE)) > 0:
        sample = charset_normalizer.from_bytes(data[:cut], cp_isolation=list(_LEGACY)).best()
        if sample is not None and (text := _strict(data, sample.encoding)):
            return text
    guess = charset_normalizer.from_bytes(data, cp_isolation=list(_LEGACY)).best()
    if guess is not None and _plausible(str(guess)) >= _MIN_COMMON:
        return str(guess)
    lenient = data.decode("utf-8", errors="replace")
    stray = lenient.count("\ufffd")
    if stray <= max(4, len(lenient) // 200) and _plausible(lenient.replace("\ufffd", "")) >= _MIN_COMMON:
        return lenient  # UTF-8 with a few stray bytes (a cut multi-byte character): keep the post, mark the loss
    raise UndecodableError(
        f"not valid UTF-8 ({utf8_error.reason} at byte {utf8_error.start}) and not Shift_JIS, EUC-JP or CP949 "
        "(if it is text, save it as UTF-8)"
    )
