"""Find and parse the dates the reports are written with, ROC (民國) and Gregorian.

A year of three digits or fewer is an ROC year (Gregorian = ROC + 1911); four
digits are Gregorian.  Dates come out as ISO 8601 strings at the precision the
text gives ("2022-11-03", "2022-08", "2022"), the form `indexer.models` uses.

>>> parse_date("報告日期：114 年 11 月 4 日")
'2025-11-04'
>>> parse_range("出國期間：111年9月2日至9月7日")
('2022-09-02', '2022-09-07')
>>> parse_user_date("民國111年9月")
'2022-09'
"""

from __future__ import annotations

import calendar
import datetime
import re
import unicodedata
from dataclasses import dataclass

from indexer.errors import BadRequest

ROC_OFFSET = 1911

_SEP = r"\s*(?:起?\s*(?:至|到)|~|～|－|—|–|-)\s*"  # 自107年11月1日起至109年10月31日止
_DAY_UNIT = r"\s*[日號号]"
# A start day or year may drop its unit when the end of a range carries it:
# 103年8月1至5日, 109—110 年.
_DATE = re.compile(
    rf"""(?<!\d)(?=(?:(?:中華)?民國\s*)?\d)
    (?:(?P<roc>(?:中華)?民國)\s*)?
    (?:(?P<y>\d{{1,4}})(?:\s*年|(?={_SEP}\d{{1,4}}\s*年))\s*)?
    (?:(?P<m>\d{{1,2}})\s*月\s*
       (?:(?P<d>\d{{1,2}})(?:{_DAY_UNIT}|(?={_SEP}\d{{1,2}}{_DAY_UNIT})))?)?
    (?:{_SEP}
       (?:(?P<y2>\d{{1,4}})\s*年\s*)?
       (?:(?P<m2>\d{{1,2}})\s*月\s*)?
       (?:(?P<d2>\d{{1,2}}){_DAY_UNIT})?
       (?<=[年月日號号]))?
    |(?<![\d.])(?P<ny>\d{{2,4}})(?P<sep>[./-])(?P<nm>\d{{1,2}})(?P=sep)(?P<nd>\d{{1,2}})(?!\.?\d)
    """,
    re.VERBOSE,
)
# "歷經36年", "超過 100 年": a number of years, not a year.
_DURATION_BEFORE = re.compile(r"(?:超過|逾|近|約|歷經|連續|長達|將近|第|滿)\s*$")


@dataclass(frozen=True)
class DateMention:
    """One date or range found in a text: `text == source[offset:offset + len(text)]`.

    A single date has `end == start`.  `year_given` is False when the text wrote
    only month and day and the year came from the caller.
    """

    start: str
    end: str
    offset: int
    text: str
    year_given: bool = True

    @property
    def is_range(self) -> bool:
        return self.end != self.start


def _gregorian(digits: str) -> int:
    year = int(digits)
    if len(digits) <= 3:
        return year + ROC_OFFSET if year else 0  # there is no 民國0年
    return year


def _iso(year: int, month: int | None = None, day: int | None = None) -> str | None:
    """The ISO string for a date at its precision, or None if no such date exists."""
    if not 1 <= year <= 9999:
        return None
    if month is None:
        return f"{year:04d}"
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _int(value: str | None) -> int | None:
    return None if value is None else int(value)


def _mention(match: re.Match, text: str, year: int | None) -> DateMention | None:
    g = match.groupdict()
    if g["ny"]:  # 111.09.02, 2025.09.09, 2024-05-15
        if g["sep"] == "-" and len(g["ny"]) < 4:  # 02-2427-4830 is a phone number
            return None
        iso = _iso(_gregorian(g["ny"]), int(g["nm"]), int(g["nd"]))
        return iso and DateMention(iso, iso, match.start(), match.group())
    m, d = _int(g["m"]), _int(g["d"])
    if g["y"] is not None:
        y, year_given = _gregorian(g["y"]), True
        if m is None and not _plausible_bare_year(g, match, text):
            return None
    elif m is not None and d is not None and year is not None:
        y, year_given = year, False
    else:  # a month alone, or a month and day with no year to hang them on
        return None
    start = _iso(y, m, d)
    if start is None:
        return None
    end = _range_end(g, y, m, d, start)
    # The match may end in a range tail that was rejected; keep only what was used.
    length = match.end() - match.start() if end != start else _single_length(match)
    return DateMention(start, end, match.start(), text[match.start():match.start() + length], year_given)


def _plausible_bare_year(g: dict, match: re.Match, text: str) -> bool:
    """A year with no month is a year only if it looks like one (not "10 年", "歷經36年")."""
    digits = g["y"]
    if _DURATION_BEFORE.search(text, max(0, match.start() - 4), match.start()):
        return False
    if len(digits) == 4:
        return 1800 <= int(digits) <= 2199
    return len(digits) == 3 or g["roc"] is not None


def _range_end(g: dict, y: int, m: int | None, d: int | None, start: str) -> str:
    """The end of a range, inheriting year and month from the start; `start` if none."""
    y2, m2, d2 = _int(g["y2"]), _int(g["m2"]), _int(g["d2"])
    # The end must stop at the same unit as the start: 9月2日至9月7日, 7月至12月, 109年至110年.
    if d is not None:
        ok = d2 is not None
    elif m is not None:
        ok = m2 is not None and d2 is None
    else:
        ok = y2 is not None and m2 is None and d2 is None
    if not ok:
        return start
    ey = _gregorian(g["y2"]) if y2 is not None else y
    if y2 is None and m is not None and m2 is not None and m2 < m:
        ey += 1  # 12月30日至1月2日 runs into the next year
    end = _iso(ey, m2 if m2 is not None else m, d2)
    return end if end is not None and end >= start else start


def _single_length(match: re.Match) -> int:
    # The last start group that matched, plus its unit character if present.
    for name in ("d", "m", "y"):
        if match.group(name) is not None:
            stop = match.end(name)
            rest = match.string[stop:match.end()]
            unit = re.match(r"\s*[日號号月年]", rest)
            return stop - match.start() + (unit.end() if unit else 0)
    return match.end() - match.start()


_NUMERAL = "〇○零一二三四五六七八九十百"
# 九十二年七月二十五日, 中華民國一○五年二月: a date in Chinese numerals (a year of two
# characters at least and its month, so that 三年內 stays words)
_CHINESE_DATE = re.compile(f"([{_NUMERAL}]{{2,4}})(\\s*年\\s*)([{_NUMERAL}]{{1,3}})(\\s*月)"
                           f"(?:(\\s*)([{_NUMERAL}]{{1,3}})(\\s*[日號]))?")
_DIGIT_OF = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"○": 0, "零": 0}


def chinese_number(numeral: str) -> int | None:
    """一○五 → 105 (digit by digit), 九十二 → 92, 一百零五 → 105, 十 → 10; None if not a number."""
    if not numeral or any(c not in _NUMERAL for c in numeral):
        return None
    if "十" not in numeral and "百" not in numeral:
        return int("".join(str(_DIGIT_OF[c]) for c in numeral))
    total, current = 0, 0
    for c in numeral:
        if c == "百":
            total, current = total + (current or 1) * 100, 0
        elif c == "十":
            total, current = total + (current or 1) * 10, 0
        else:
            current = _DIGIT_OF[c]
    return total + current


def arabic_dates(text: str) -> str:
    """`text` with dates in Chinese numerals written in digits (九十二年七月 → 92年7月)."""
    def digits(m: re.Match) -> str:
        parts = [chinese_number(m[1]), chinese_number(m[3]), chinese_number(m[6]) if m[6] else None]
        if parts[0] is None or parts[1] is None or (m[6] and parts[2] is None):
            return m.group()
        day = f"{m[5]}{parts[2]}{m[7]}" if m[6] else ""
        return f"{parts[0]}{m[2]}{parts[1]}{m[4]}{day}"
    return _CHINESE_DATE.sub(digits, text) if any(c in text for c in "年") else text


def find_dates(text: str, year: int | None = None) -> list[DateMention]:
    """Every date and date range in `text`, in order.

    Month-and-day dates with no year (5月15日) take `year` when one is given and
    are skipped otherwise.  Impossible dates (13月, 2月30日) are skipped.

    >>> [(m.start, m.end) for m in find_dates("103年7月至12月；2018年")]
    [('2014-07', '2014-12'), ('2018', '2018')]
    """
    found = []
    text = arabic_dates(text)
    for match in _DATE.finditer(text):
        if not match.group():
            continue
        mention = _mention(match, text, year)
        if mention is not None:
            found.append(mention)
    return found


def parse_date(text: str, year: int | None = None) -> str | None:
    """The first date in `text` as an ISO string (a range gives its start), or None."""
    found = find_dates(text, year)
    return found[0].start if found else None


def parse_range(text: str, year: int | None = None) -> tuple[str, str] | None:
    """The first date or range in `text` as (start, end); a single date gives (d, d)."""
    found = find_dates(text, year)
    return (found[0].start, found[0].end) if found else None


def span(iso: str) -> tuple[datetime.date, datetime.date]:
    """The first and last day an ISO date of any precision covers.

    >>> span("2022-02")
    (datetime.date(2022, 2, 1), datetime.date(2022, 2, 28))
    """
    parts = [int(p) for p in iso.split("-")] if re.fullmatch(r"\d{4}(-\d\d){0,2}", iso) else []
    if not parts:
        raise ValueError(f"not an ISO date at year, month or day precision: {iso!r}")
    if len(parts) == 3:
        day = datetime.date(*parts)
        return day, day
    year = parts[0]
    if len(parts) == 2:
        last = calendar.monthrange(year, parts[1])[1]
        return datetime.date(year, parts[1], 1), datetime.date(year, parts[1], last)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


_USER_FORMS = "2022-09-02、2022-09、2022、2022/9/2、111/9/2、111-09-02、111.9.2、111年9月2日、民國111年9月"
_USER_NUMERIC = re.compile(r"(\d{1,4})(?:([-/.])(\d{1,2})(?:\2(\d{1,2}))?)?")
_USER_CHINESE = re.compile(r"(?:(?:中華)?民國)?(\d{1,4})年(?:(\d{1,2})月(?:(\d{1,2})[日號])?)?")


def parse_user_date(value: str) -> str:
    """What a user typed in a date filter, as an ISO date at the precision typed.

    Accepts Gregorian and ROC years, `-`, `/`, `.` or 年月日, full-width digits
    and stray spaces.  Callers treat an empty box as "no filter" before calling.

    >>> parse_user_date(" １１１/９/２ ")
    '2022-09-02'
    """
    # NFKC turns full-width digits and ／．－ into their ASCII forms.
    compact = "".join(unicodedata.normalize("NFKC", value).split())
    match = _USER_NUMERIC.fullmatch(compact) or _USER_CHINESE.fullmatch(compact)
    if match is None:
        raise BadRequest(
            f"無法辨識的日期「{value.strip()}」(unrecognised date); "
            f"可用格式 accepted forms: {_USER_FORMS}"
        )
    groups = match.groups()
    year, month, day = groups[0], groups[-2], groups[-1]
    iso = _iso(_gregorian(year), _int(month), _int(day))
    if iso is None:
        raise BadRequest(
            f"「{value.strip()}」不是存在的日期 (no such date); 可用格式 accepted forms: {_USER_FORMS}"
        )
    return iso


def day_number(iso: str | None) -> int | None:
    """An ISO day as the integer YYYYMMDD that filters and date order compare.

    >>> day_number("2022-11-03"), day_number(None)
    (20221103, None)
    """
    return int(iso.replace("-", "")) if iso else None


def roc_form(iso: str | None) -> str:
    """'2022-11-03' -> '民國111年11月3日', '2022-08' -> '民國111年8月'; other text unchanged.

    A year before 民國1年 (1912) has no ROC form: '' (shown as the Western date
    alone, never 民國-61年).

    >>> roc_form("2022-11-03"), roc_form("2022-08"), roc_form("1850"), roc_form("不明")
    ('民國111年11月3日', '民國111年8月', '', '不明')
    """
    if not iso:
        return ""
    parts = iso.split("-")
    if not all(part.isdigit() for part in parts) or len(parts) > 3:
        return iso
    if int(parts[0]) <= ROC_OFFSET:
        return ""
    units = ("年", "月", "日")
    numbers = [int(parts[0]) - ROC_OFFSET, *(int(part) for part in parts[1:])]
    return "民國" + "".join(f"{n}{unit}" for n, unit in zip(numbers, units, strict=False))
