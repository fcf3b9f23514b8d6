"""Plain text files: find the encoding, refuse what would be mojibake.

A report arrives as UTF-8 (with or without a byte-order mark), UTF-16 with a
byte-order mark, or Big5 (Windows code page 950, the encoding of older
Taiwanese government files).  Any byte string decodes *somehow* in some legacy
encoding, so a decoding that merely succeeds proves little: UTF-16 and Big5
results are also checked for looking like text a person wrote (`implausible`).
"""

from __future__ import annotations

import contextlib
import re
from functools import cache

from indexer.errors import UnreadableReport

# Text never holds these; a file that does is binary whatever its name says.
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
# Characters people write in reports: ASCII, Latin letters, general and CJK
# punctuation, kana, CJK ideographs, full-width forms.  Random 16-bit units
# land outside these far more often than not (Hangul, Yi, private use …).
_ORDINARY = re.compile(
    r"[\t\n\r\x20-\x7e\u00a0-\u024f\u2000-\u206f\u2100-\u22ff\u2460-\u27bf"
    r"\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]"
)
_IDEOGRAPH = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
MIN_ORDINARY = 0.95  # share of characters that must be ordinary
# Real reports: 98–100 % of their ideographs are common ones (measured on the
# corpus); a wrong decoding scatters over all ~20,000 and lands near 40 %.
MIN_COMMON_IDEOGRAPHS = 0.8


def decode_text(data: bytes, name: str) -> str:
    """The text of a plain-text file, line ends as "\\n", or UnreadableReport.

    >>> decode_text("壹、目的".encode("cp950"), "a.txt")
    '壹、目的'
    """
    if data.startswith(b"\xef\xbb\xbf"):
        text = _strict(data[3:], "utf-8", name)
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = _strict(data, "utf-16", name)
        _check_plausible(text, name, "UTF-16", _common_any)
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as utf8_error:
            text = _big5(data, name, utf8_error)
    if _CONTROL.search(text):
        raise UnreadableReport(f"{name}: looks like a binary file (it contains control characters), not text")
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_encoding(data: bytes) -> str:
    """The charset, as HTTP names it, that `decode_text` reads `data` in (a file it
    read): utf-8, utf-16, or big5 (served for code page 950, as browsers read it)."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return "big5"
    return "utf-8"


def _strict(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise UnreadableReport(f"{name}: broken {encoding.upper()} (byte {exc.start}: {exc.reason})") from None


def _big5(data: bytes, name: str, utf8_error: UnicodeDecodeError) -> str:
    refusal = (f"{name}: neither UTF-8 (byte {utf8_error.start}: {utf8_error.reason}) nor Big5; "
               "save it as UTF-8 and index again")
    try:
        text = data.decode("cp950")
    except UnicodeDecodeError:
        raise UnreadableReport(refusal) from None
    if implausible(text, _common_big5):
        raise UnreadableReport(refusal)
    return text


def _check_plausible(text: str, name: str, encoding: str, common) -> None:
    why = implausible(text, common)
    if why:
        raise UnreadableReport(f"{name}: starts with a {encoding} byte-order mark but {why}; "
                               "save it as UTF-8 and index again")


def implausible(text: str, common=None) -> str | None:
    """Why `text` does not read as written text (None when it does).

    `common` is the set of ideographs a writer of the text uses most; a text
    whose ideographs are mostly outside it is a wrong decoding.

    >>> implausible("交流與合作") is None, implausible("\\uac00\\ub098\\ud558\\uc815") is not None
    (True, True)
    """
    sample = text[:200_000]  # enough to judge; bounds the time on huge files
    letters = [c for c in sample if not c.isspace()]
    if not letters:
        return "holds no text"
    ordinary = sum(1 for c in letters if _ORDINARY.match(c)) / len(letters)
    if ordinary < MIN_ORDINARY:
        return f"decodes to unusual characters ({ordinary:.0%} ordinary)"
    ideographs = _IDEOGRAPH.findall(sample)
    if common is not None and ideographs:
        share = sum(1 for c in ideographs if c in common()) / len(ideographs)
        if share < MIN_COMMON_IDEOGRAPHS:
            return f"decodes to rare characters ({share:.0%} of its ideographs are common ones)"
    return None


def _characters(encoding: str, leads: range, trails: range) -> frozenset[str]:
    chars = set()
    for lead in leads:
        for trail in trails:
            with contextlib.suppress(UnicodeDecodeError):  # a hole in the code page
                chars.add(bytes((lead, trail)).decode(encoding))
    return frozenset(chars)


@cache
def _common_big5() -> frozenset[str]:
    """Big5's 5,401 frequently used characters (常用字, A440–C67E)."""
    both = [*range(0x40, 0x7F), *range(0xA1, 0xFF)]
    return frozenset(c for c in _characters("cp950", range(0xA4, 0xC7), both)
                     if "\u4e00" <= c <= "\u9fff")


@cache
def _common_any() -> frozenset[str]:
    """Frequently used ideographs of Taiwan, China and Japan: Big5 常用字, GB2312
    level 1 and JIS level 1, for a UTF-16 text that may be any of them."""
    gb = _characters("gb2312", range(0xB0, 0xD8), range(0xA1, 0xFF))
    jis = _characters("shift_jis", range(0x88, 0x99), range(0x40, 0xFD))
    return _common_big5() | gb | {c for c in jis if _IDEOGRAPH.match(c)}
