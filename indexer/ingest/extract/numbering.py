"""The labels a word processor draws in front of numbered paragraphs (一、, （二）, 3.).

Rules and letters number their points automatically: the file holds the format, not
the label, and a reader that drops it loses what the printed page shows (第三點 has
no 三、 to find) and where each point starts. ODT and DOCX name the same formats
differently; both are read here.

>>> label("taiwaneseCountingThousand", 12), label("一, 二, 三, ...", 20), label("ideographTraditional", 3)
('十二', '二十', '丙')
"""

from __future__ import annotations

_DIGITS = "〇一二三四五六七八九"
_FORMAL = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"
_ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
          (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _chinese(n: int, digits: str = _DIGITS, ten: str = "十", hundred: str = "百") -> str:
    """1–999 in Chinese counting (十一, 二十, 一百零五); beyond, the digits."""
    if not 0 < n < 1000:
        return "".join(digits[int(d)] for d in str(n))
    hundreds, rest = divmod(n, 100)
    tens, ones = divmod(rest, 10)
    out = digits[hundreds] + hundred if hundreds else ""
    if tens:
        out += ("" if tens == 1 and not hundreds else digits[tens]) + ten
    elif hundreds and ones:
        out += "零"
    return out + (digits[ones] if ones else "")


def _letters(n: int) -> str:
    out = ""
    while n > 0:
        n, r = divmod(n - 1, 26)
        out = chr(ord("a") + r) + out
    return out


def _roman(n: int) -> str:
    out = ""
    for value, numeral in _ROMAN:
        while n >= value:
            out, n = out + numeral, n - value
    return out


def _cycle(symbols: str, n: int) -> str:
    return symbols[(n - 1) % len(symbols)]


def _formats() -> dict:
    arabic = str
    table = {
        # DOCX numFmt values
        "decimal": arabic, "decimalZero": lambda n: f"{n:02d}", "lowerLetter": _letters,
        "upperLetter": lambda n: _letters(n).upper(), "lowerRoman": _roman, "upperRoman": lambda n: _roman(n).upper(),
        "taiwaneseCountingThousand": _chinese, "taiwaneseCounting": _chinese, "chineseCountingThousand": _chinese,
        "chineseCounting": _chinese, "ideographDigital": lambda n: "".join(_DIGITS[int(d)] for d in str(n)),
        "ideographLegalTraditional": lambda n: _chinese(n, _FORMAL, "拾", "佰"),
        "ideographTraditional": lambda n: _cycle(_STEMS, n), "ideographZodiac": lambda n: _cycle(_BRANCHES, n),
        "decimalFullWidth": lambda n: str(n).translate({ord(c): ord(c) + 0xFEE0 for c in "0123456789"}),
        "decimalEnclosedCircle": lambda n: chr(0x2460 + n - 1) if 0 < n <= 20 else str(n),
        # ODT style:num-format values
        "1": arabic, "a": _letters, "A": lambda n: _letters(n).upper(), "i": _roman, "I": lambda n: _roman(n).upper(),
    }
    for first, fn in (("一", _chinese), ("壹", table["ideographLegalTraditional"]), ("甲", table["ideographTraditional"]),
                      ("子", table["ideographZodiac"]), ("１", table["decimalFullWidth"]),
                      ("①", table["decimalEnclosedCircle"])):
        table[first] = fn  # ODT writes "一, 二, 三, ..."; its first symbol names it
    return table


_FORMAT = _formats()


def label(fmt: str, n: int) -> str:
    """Number `n` drawn in format `fmt` (a DOCX numFmt or an ODT num-format); "" for
    bullets, none, or a format not known."""
    key = fmt if fmt in _FORMAT else fmt.split(",")[0].strip()
    draw = _FORMAT.get(key)
    return draw(n) if draw and n > 0 else ""
