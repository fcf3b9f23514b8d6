"""Describe a report from its text: title, city, agency, kind, dates and countries.

A 出國報告 states most of this on its cover (服務機關, 出國期間, 報告日期 ...).
Reports without a cover (a 施政報告 chapter, a file starting mid-document) are
described from evidence in the text, and `city_evidence` / `date_evidence` say
which evidence decided.  Front matter, when a corpus file has it, wins.

>>> meta = extract_metadata("服務機關：台中市政府經濟發展局\\n報告日期：114 年 11 月 4 日\\n")
>>> meta.city, meta.date, meta.city_evidence
('臺中市', '2025-11-04', '服務機關：台中市政府經濟發展局')
"""

from __future__ import annotations

import datetime
import re
from collections import Counter

from indexer.ingest.front_matter import front_matter_values
from indexer.models import KINDS, Metadata, Period  # noqa: F401 (KINDS: imported from here)
from indexer.text.cities import ALIASES, CITIES
from indexer.text.dates import ROC_OFFSET, DateMention, find_dates, parse_range
from indexer.text.fold import fold_tai

_FIELD = re.compile(
    r"(?P<key>出國報告名稱|服務機關|撰寫機關|派赴國家(?:[/／]地區)?|出國地區|出國期間|報告日期)"
    r"\s*[：:]\s*(?P<value>.*?)\s*(?=\s(?:出國地區|出國期間|報告日期)\s*[：:]|$)",
    re.MULTILINE,
)
_CHAPTER = re.compile(r"^[壹貳參肆伍陸柒捌玖拾]+、\s*(\S.*)$")
_TRIP_CUES = ("行程表", "行程內容", "參訪日程", "抵達", "返臺", "返國", "歸國", "心得及建議", "訪團")
_TRIP_TITLE = re.compile(r"^[^\t。]{0,40}率(?:團|隊|領)[^\t。]*赴[^\t。]{2,60}$")

# Mayors and county magistrates since the 2000s: a full name next to 市長/縣長
# names the city whose report it is (cities name their own mayor far more often
# than anyone else's).
_MAYORS = {
    "臺北市": "馬英九 郝龍斌 柯文哲 蔣萬安", "新北市": "周錫瑋 朱立倫 侯友宜",
    "桃園市": "吳志揚 鄭文燦 張善政", "臺中市": "胡志強 林佳龍 盧秀燕",
    "臺南市": "許添財 賴清德 黃偉哲", "高雄市": "謝長廷 陳菊 韓國瑜 陳其邁",
    "基隆市": "許財利 張通榮 林右昌 謝國樑", "新竹市": "許明財 林智堅 高虹安",
    "嘉義市": "黃敏惠 涂醒哲", "新竹縣": "邱鏡淳 楊文科", "苗栗縣": "劉政鴻 徐耀昌 鍾東錦",
    "彰化縣": "卓伯源 魏明谷 王惠美", "南投縣": "李朝卿 林明溱 許淑華",
    "雲林縣": "蘇治芬 李進勇 張麗善", "嘉義縣": "張花冠 翁章梁", "屏東縣": "曹啟鴻 潘孟安 周春米",
    "宜蘭縣": "林聰賢 林姿妙", "花蓮縣": "傅崐萁 徐榛蔚", "臺東縣": "黃健庭 饒慶鈴",
    "澎湖縣": "王乾發 陳光復 賴峰偉", "金門縣": "李沃士 陳福海", "連江縣": "楊綏生 劉增應 王忠銘",
}
_MAYOR_CITY = {name: city for city, names in _MAYORS.items() for name in names.split()}
_MAYOR_NAMES = "|".join(_MAYOR_CITY)
_MAYOR = re.compile(rf"[市縣]長\s*({_MAYOR_NAMES})|({_MAYOR_NAMES})\s*[市縣]長")
# A city's own people call it by these: 訪高 = a visit to Kaohsiung (not 訪高中, a school).
_VISIT = {"訪高": ("高雄市", r"訪高(?![中職校層峰齡])"), "訪北": ("臺北市", r"訪北(?![京韓美歐海非部區])")}
# Full names and the stems that name one city only (bare 新竹 / 嘉義 do not).
_NAMES = {n: c for n, c in ALIASES.items() if n == c or (len(n) == 2 and n == c[:2])}
_NAMES_LONGEST_FIRST = sorted(_NAMES, key=len, reverse=True)
_NAME_RE = "|".join(_NAMES_LONGEST_FIRST)
_GOVERNMENT = re.compile(rf"({'|'.join(CITIES)})(?:政府|訪團|參訪團|代表團)")
# 台北駐福岡經濟文化辦事處 and 美國在台協會台北辦事處 are named after Taipei, not from it.
_MENTION = re.compile(rf"(?<!駐)({_NAME_RE})(?!駐|事務所|辦事處|經濟文化)")

_COUNTRY_ALIASES = {
    "南韓": "韓國", "大韓民國": "韓國", "澳大利亞": "澳洲", "印度尼西亞": "印尼",
    "聖文森": "聖文森及格瑞那丁", "聖克里斯多福": "聖克里斯多福及尼維斯", "史瓦濟蘭": "史瓦帝尼",
}
_COUNTRIES = (
    "日本", "韓國", "美國", "加拿大", "墨西哥", "英國", "法國", "德國", "荷蘭", "比利時", "奧地利", "瑞士", "義大利",
    "西班牙", "葡萄牙", "瑞典", "芬蘭", "丹麥", "挪威", "波蘭", "捷克", "斯洛伐克", "匈牙利", "羅馬尼亞", "塞爾維亞", "立陶宛",
    "拉脫維亞", "愛沙尼亞", "烏克蘭", "俄羅斯", "土耳其", "以色列", "印度", "泰國", "越南", "新加坡", "馬來西亞", "印尼",
    "菲律賓", "蒙古", "澳洲", "紐西蘭", "帛琉", "吐瓦魯", "馬紹爾群島", "諾魯", "巴西", "阿根廷", "智利", "秘魯", "哥倫比亞",
    "巴拉圭", "瓜地馬拉", "宏都拉斯", "貝里斯", "巴拿馬", "海地", "南非", "史瓦帝尼", "聖文森及格瑞那丁",
    "聖克里斯多福及尼維斯",
)
_COUNTRY = re.compile("|".join(sorted([*_COUNTRIES, *_COUNTRY_ALIASES], key=len, reverse=True)))
_DESTINATION = re.compile(rf"(?:赴|抵達|飛抵|前往|出訪)({_COUNTRY.pattern})")


def extract_metadata(body: str, front_matter: dict | None = None) -> Metadata:
    """What the report says about itself, with front matter values winning.

    Front matter keys: title, city, agency, date, period ({start, end} or a
    range like "111年9月2日至9月7日"), kind, source, countries.  A front matter
    value that cannot be read raises UnreadableReport.
    """
    lines = [line.strip().lstrip("#").strip() for line in body.splitlines()]
    body_lines = [line for line in lines if line]
    head = body_lines[:15]
    fields = _header_fields(body[:3000])
    cover = _cover_lines(head)
    mentions = [m for m in find_dates(body) if _report_time(m.start, m.end)]
    mentions = [m for m in find_dates(body, _context_year(mentions)) if _report_time(m.start, m.end)]

    kind = _kind(body, fields, head)
    city, city_evidence = _city(body, fields, cover)
    period, period_text = _period(fields, cover or head[:3], mentions, kind)
    date, date_inferred, date_evidence = _date(fields, head, mentions, period, period_text)
    agency = _strip_note(fields.get("服務機關") or fields.get("撰寫機關") or "") or (
        city and city + "政府")
    values = dict(
        title=_title(fields, cover, body_lines, kind, city, period_text),
        city=city, city_evidence=city_evidence, agency=agency, kind=kind,
        date=date, date_inferred=date_inferred, date_evidence=date_evidence, period=period,
        countries=_countries(body, fields, kind),
    )
    values.update(front_matter_values(front_matter or {}))
    return Metadata(**values)


def _header_fields(text: str) -> dict[str, str]:
    fields: dict[str, str] = {}
    for match in _FIELD.finditer(text):
        key = match["key"].replace("／", "/").removesuffix("/地區")
        fields.setdefault(key, match["value"])
    return fields


def _cover_lines(head: list[str]) -> list[str]:
    """The lines above the first cover field (服務機關 ...), if the report has a cover."""
    for i, line in enumerate(head):
        if _FIELD.match(line):
            return head[:i]
    return []


def _strip_note(agency: str) -> str:
    """高雄市政府行政暨國際處（國際科） -> 高雄市政府行政暨國際處"""
    return re.sub(r"\s*[（(][^）)]*[）)]\s*$", "", agency)


def _kind(body: str, fields: dict, head: list[str]) -> str:
    opening = "\n".join(head[:4])
    for kind in ("統計分析報告", "施政報告"):
        if kind in opening:
            return kind
    if "出國報告" in opening or "公務出國" in opening or fields.keys() & {"出國期間", "派赴國家"}:
        return "出國報告"
    # A file that opens on a top-level heading numbered past ten (貳拾肆、國際事務)
    # is one bureau's chapter of a 施政報告; a trip report has fewer sections.
    numeral = head[0].split("、")[0] if head and _CHAPTER.match(head[0]) else ""
    if "拾" in numeral and numeral != "拾":
        return "施政報告"
    if sum(cue in body for cue in _TRIP_CUES) >= 3:  # an itinerary, a return, impressions
        return "出國報告"
    return "other"


def _city(body: str, fields: dict, cover: list[str]) -> tuple[str | None, str]:
    # The author's own header first: other cities' names appear all through the text.
    for key in ("服務機關", "撰寫機關"):
        city = _city_prefix(fields.get(key, ""))
        if city:
            return city, f"{key}：{fields[key]}"
    for line in cover:
        match = _GOVERNMENT.search(fold_tai(line))
        if match:
            return match[1], f"cover: {line}"
    return _city_from_evidence(fold_tai(body))


def _city_prefix(agency: str) -> str | None:
    """臺中市政府經濟發展局 -> 臺中市; 外交部 -> None."""
    folded = fold_tai(agency)
    return next((_NAMES[n] for n in _NAMES_LONGEST_FIRST if folded.startswith(n)), None)


def _city_from_evidence(text: str) -> tuple[str | None, str]:
    """Weigh strong cues (mayor, <city>政府, 訪高) and plain mentions of each city."""
    strong: dict[str, Counter] = {}
    for match in _MAYOR.finditer(text):
        name = match[1] or match[2]
        strong.setdefault(_MAYOR_CITY[name], Counter())[f"mayor {name}"] += 1
    for match in _GOVERNMENT.finditer(text):
        strong.setdefault(match[1], Counter())[match.group()] += 1
    for short, (city, pattern) in _VISIT.items():
        if count := len(re.findall(pattern, text)):
            strong.setdefault(city, Counter())[short] += count
    mentions = Counter(_NAMES[m] for m in _MENTION.findall(text))
    scores = {city: 3 * cues.total() + mentions[city] for city, cues in strong.items()}
    ranked = sorted(scores.items(), key=lambda item: -item[1])
    if not ranked or (len(ranked) > 1 and ranked[0][1] == ranked[1][1]):
        return None, ""
    city = ranked[0][0]
    cues = [f"{cue} ×{n}" for cue, n in strong[city].most_common(4)]
    return city, "; ".join([*cues, f"named ×{mentions[city]}"]) + f" → {city}"


def _report_time(*isos: str) -> bool:
    """Whether dates in the text can be when a report was written: from 民國1年
    (1912) to next year.  1895年 in a history, or 2030年 in a plan, cannot."""
    return all(ROC_OFFSET < int(iso[:4]) <= datetime.date.today().year + 1 for iso in isos)


def _since_1912(start: str) -> bool:
    """Whether a period can be a report's: one that starts before 民國1年 is a history's.
    (A period may lie ahead: a plan's 113年至118年.)"""
    return int(start[:4]) > ROC_OFFSET


def _context_year(mentions: list[DateMention]) -> int | None:
    """The year a report is mostly about: what 5月15日 with no year belongs to."""
    years = Counter(int(m.start[:4]) for m in mentions)
    return max(years, key=lambda y: (years[y], y)) if years else None


def _period(fields: dict, opening: list[str], mentions: list[DateMention], kind: str
            ) -> tuple[Period, str]:
    if "出國期間" in fields and (found := parse_range(fields["出國期間"])) and _since_1912(found[0]):
        return Period(*found), fields["出國期間"]
    # The period covered, stated at the top: 109 年至 110 年間 …, 本府…103年7月至12月…
    for mention in find_dates("\n".join(opening)):
        if mention.is_range and _since_1912(mention.start):
            return Period(mention.start, mention.end), mention.text
    if kind == "出國報告":  # the itinerary: the longest run of consecutive days named
        days = sorted({datetime.date.fromisoformat(d) for m in mentions
                       for d in (m.start, m.end) if len(d) == 10})
        best: list[datetime.date] = []
        run: list[datetime.date] = []
        for day in days:
            run = [*run, day] if run and (day - run[-1]).days == 1 else [day]
            best = run if len(run) > len(best) else best
        if len(best) >= 2:
            start, end = best[0].isoformat(), best[-1].isoformat()
            return Period(start, end), f"itinerary days named in the text, {start} to {end}"
    return Period(), ""


def _date(fields: dict, head: list[str], mentions: list[DateMention], period: Period,
          period_text: str) -> tuple[str | None, bool, str]:
    # A date outside the years a report can be written (1850年, 0999年5月, 2999年) is passed over.
    stated = find_dates(fields.get("報告日期", ""))
    if stated and _report_time(stated[0].start):
        return stated[0].start, False, f"報告日期：{fields['報告日期']}"
    for line in head:  # a cover date on a line of its own: 中華民國 111 年 8 月
        if _is_date_line(line) and _report_time(find_dates(line)[0].start):
            return find_dates(line)[0].start, False, f"cover date: {line}"
    # No stated date: a report is written after what it covers, so the end of
    # its period is the earliest date it can carry.
    if period.end and _report_time(period.end):
        return period.end, True, f"no report date stated; end of the period covered ({period_text})"
    if mentions:
        latest = max(mentions, key=lambda m: m.end)
        return latest.end, True, f"no report date stated; latest date in the text ({latest.text})"
    return None, False, ""


def _title(fields: dict, cover: list[str], body_lines: list[str], kind: str, city: str | None,
           period_text: str) -> str:
    head = body_lines[:15]
    if fields.get("出國報告名稱"):
        return fields["出國報告名稱"]
    lines = [line for line in cover if "出國類別" not in line and not _is_date_line(line)]
    if lines:
        title = lines[0]
        for line in lines[1:]:  # a title broken across lines ends a line with 、 or 及
            title += line if title[-1] in "、，,及與和之的" else "：" + line
        return title
    if kind == "施政報告" and head and _CHAPTER.match(head[0]):
        context = f"（{period_text}）" if period_text else ""
        return f"{city + '政府' if city else ''}施政報告 {head[0]}{context}"
    for line in body_lines:  # e.g. the heading of an itinerary table
        if _TRIP_TITLE.match(line):
            return line
    return head[0][:40] + ("…" if len(head[0]) > 40 else "") if head else ""


def _is_date_line(line: str) -> bool:
    found = find_dates(line)
    return len(found) == 1 and found[0].text == line


def _countries(body: str, fields: dict, kind: str) -> tuple[str, ...]:
    for key in ("派赴國家", "出國地區"):
        if found := _ranked_countries(_COUNTRY.findall(fields.get(key, ""))):
            return found
    if kind == "出國報告" and (found := _ranked_countries(_DESTINATION.findall(body))):
        return found
    # For other kinds, the countries of the partners the report names.
    return _ranked_countries(_COUNTRY.findall(body))


def _ranked_countries(names: list[str]) -> tuple[str, ...]:
    counts = Counter(_COUNTRY_ALIASES.get(name, name) for name in names)
    return tuple(name for name, _ in counts.most_common())
