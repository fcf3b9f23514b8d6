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

from indexer.ingest.authorship import LETTERHEAD, Author, author, body_prefix, is_body_name
from indexer.ingest.front_matter import front_matter_values
from indexer.models import KINDS, Metadata, Period  # noqa: F401 (KINDS: imported from here)
from indexer.text.cities import CITIES, OWN_NAMES, OWN_NAMES_LONGEST_FIRST, city_prefix
from indexer.text.countries import COUNTRY, country_name
from indexer.text.dates import ROC_OFFSET, DateMention, arabic_dates, find_dates, parse_range
from indexer.text.fold import fold_tai
from indexer.text.grams import CJK_CHAR

# A line that states a date alone (a cover's, a title's) is at most this long.
DATE_LINE_CHARS = 120
# What extraction decides; a change means every report is read again (build settings).
METADATA_VERSION = 4  # 4: 海地 not in 沿海地區

_FIELD = re.compile(
    r"(?P<key>出國報告名稱|服務機關|撰寫機關|派赴國家(?:[/／]地區)?|出國地區|出國期間|報告日期)"
    r"\s*[：:]\s*(?P<value>.*?)\s*(?=\s(?:出國地區|出國期間|報告日期)\s*[：:]|$)",
    re.MULTILINE,
)
_CHAPTER = re.compile(r"^[壹貳參肆伍陸柒捌玖拾]+、\s*(\S.*)$")
# 時　　間：中華民國101年11月6日10時6分, 發文日期：…, 會議日期：…: the date a document states.
_DATE_KEYS = "發文日期|會議日期|開會日期|會議時間|開會時間|資料日期|發布日期|發布時間|發稿日期|發稿時間"
_DATE_FIELD = re.compile(rf"^(?P<key>{_DATE_KEYS}|時間|日期)\s*[：:]\s*(?P<value>.+)$")
# 發布單位：新聞及國際關係處發布時間：2022年10月25日: a date field glued to the one before
# (a bare 時間 or 日期 counts at a line's start only)
_DATE_FIELD_GLUED = re.compile(rf"(?P<key>{_DATE_KEYS})\s*[：:]\s*(?P<value>.+)$")
_LETTER_SPACE = re.compile(rf"(?<={CJK_CHAR})[ \t\u3000]+(?={CJK_CHAR})")
_CJK_PAIR = re.compile(rf"{CJK_CHAR}(?={CJK_CHAR})")
# 時　　間： a field's label spread to the width of the longest label
_SPREAD_LABEL = re.compile(rf"^(?:{CJK_CHAR}[ \t\u3000]*){{2,6}}(?=[：:])")
# A page number (1, - 1 -, 第1頁), a lone mark (., 裝, 訂, 線 of a 公文's binding line)
_NOISE = re.compile(r"^(?:[\W\d_]*|\S|第\s*\d+\s*頁(?:\s*[，,]?\s*共\s*\d+\s*頁)?)$")
# 今(113)年 … 今(11)日: a government news release's way of dating itself
# 發稿單位：新聞及國際關係處 / 發布時間：…: a news release's header fields
_NEWS_FIELD = re.compile(r"^(?:發稿單位|發稿時間|發布單位|新聞發布單位|新聞聯絡人)\s*[：:]")
_NEWS_DAY = re.compile(r"今\s*[（(]\s*\d{1,2}\s*[）)]\s*日")
# A title's last words that say what kind of document it is.
_KIND_BY_TITLE = (
    ("議事錄", re.compile(r"議事錄|(?:定期會|臨時會).*(?:質詢|業務報告|審議)")),
    ("會議紀錄", re.compile(r"(?:會議|摘要|會)[紀記]錄")),
    ("逐字稿", re.compile(r"逐字[稿紀記]")),
    ("新聞稿", re.compile(r"新聞稿|新聞資料")),
    ("法規", re.compile(r"(?:要點|原則|辦法|規則|細則|準則|規程|須知|指引|條例|規定|作業程序)$")),
    ("計畫", re.compile(r"計[畫劃](?:書)?$")),
)
_SPEAKER = re.compile(r"^#{2,4}\s*\S{1,12}[：:]\s*$", re.MULTILINE)
# The file name's own date (taipei-news-20241011-…): kept when the text states none.
_NAME_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")
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
# 黃縣長健庭, 鄭市長文燦: the name with the title written inside
_MAYOR_SPLIT = {name[0] + title + name[1:]: name for name in _MAYOR_CITY for title in ("市長", "縣長")}
_MAYOR_INSIDE = re.compile("|".join(_MAYOR_SPLIT))
# A city's own people call it by these: 訪高 = a visit to Kaohsiung (not 訪高中, a school).
_VISIT = {"訪高": ("高雄市", r"訪高(?![中職校層峰齡])"), "訪北": ("臺北市", r"訪北(?![京韓美歐海非部區])")}
_NAME_RE = "|".join(OWN_NAMES_LONGEST_FIRST)
_GOVERNMENT = re.compile(rf"({'|'.join(CITIES)})(?:政府|議會|訪團|參訪團|代表團)")
# 台北駐福岡經濟文化辦事處 and 美國在台協會台北辦事處 are named after Taipei, not from it.
_MENTION = re.compile(rf"(?<!駐)({_NAME_RE})(?!駐|事務所|辦事處|經濟文化)")

_DESTINATION = re.compile(rf"(?:赴|抵達|飛抵|前往|出訪)({COUNTRY.pattern})")


def extract_metadata(body: str, front_matter: dict | None = None, name: str = "") -> Metadata:
    """What the report says about itself, with front matter values winning.

    Front matter keys: title, city, agency, date, period ({start, end} or a
    range like "111年9月2日至9月7日"), kind, source, countries.  A front matter
    value that cannot be read raises UnreadableReport. `name`: the file's name,
    whose date (20241011) serves when the text states none.
    """
    body_lines = _lines(body)
    head = body_lines[:15]
    fields = _header_fields(body[:3000])
    cover = _cover_lines(head)
    mentions = [m for m in find_dates(body) if _report_time(m.start, m.end)]
    mentions = [m for m in find_dates(body, _context_year(mentions)) if _report_time(m.start, m.end)]

    title = _title(fields, cover, body_lines, body)
    kind = _kind(body, fields, head, title)
    written_by = author(head, title) if not fields.keys() & {"服務機關", "撰寫機關"} else None
    city, city_evidence = _city(body, fields, cover, written_by)
    period, period_text = _period(fields, cover or head[:3], mentions, kind)
    date, date_inferred, date_evidence = _date(fields, body_lines[:40], mentions, period, period_text, name)
    if written_by and written_by.agency and not written_by.central and not written_by.city and city:
        # 發布單位：新聞及國際關係處 of a city's news release: that city's government's
        written_by = written_by._replace(agency=f"{city}政府{written_by.agency}")
    agency = (_strip_note(fields.get("服務機關") or fields.get("撰寫機關") or "")
              or (written_by and written_by.agency)
              or (city and not (written_by and written_by.central) and _evident_body(body, city)) or None)
    if kind in ("議事錄", "會議紀錄") and city and not fields.get("服務機關") and \
            (not written_by or not written_by.agency) and re.search(r"定期會|臨時會|議員", title + "".join(head[:6])):
        agency = city + "議會"  # a council's session: the council's record, whoever speaks in it
    if kind == "施政報告" and head and _CHAPTER.match(head[0]) and not cover:
        context = f"（{period_text}）" if period_text else ""
        title = f"{city + '政府' if city else ''}施政報告 {head[0]}{context}"
    values = dict(
        title=title, city=city, city_evidence=city_evidence, agency=agency, kind=kind,
        date=date, date_inferred=date_inferred, date_evidence=date_evidence, period=period,
        countries=_countries(body, fields, kind),
    )
    values.update(front_matter_values(front_matter or {}))
    # a city's document is 地方 whoever decided the city; 中央 needs a central body and no city
    central = bool(written_by and written_by.central)
    values["level"] = "地方" if values["city"] else "中央" if central else None
    return Metadata(**values)


def _evident_body(body: str, city: str) -> str:
    """The city's government, or its council when the text names the council more
    (a council's news release: 臺南市議會10日由議長郭信良率18位議員赴日)."""
    folded = fold_tai(body)
    council, government = folded.count(city + "議會"), folded.count(city + "政府")
    return city + ("議會" if council >= 2 * max(1, government) else "政府")


def _lines(body: str) -> list[str]:
    """The body's lines as a reader sees them: without Markdown's heading marks, letter
    spacing joined (行　政　院 → 行政院, 時　　間： → 時間：), and without page numbers and
    lone marks."""
    lines = (_unspaced(line.strip().lstrip("#").strip()) for line in body.splitlines())
    return [line for line in lines if line and not _NOISE.match(line)]


def _unspaced(line: str) -> str:
    """A line set with a space after every character (施 政 報 告) as written; a line
    whose spaces part words (臺北市與松山市締結友誼市 蔣萬安：…) as it is."""
    line = _SPREAD_LABEL.sub(lambda m: _LETTER_SPACE.sub("", m.group()), line)
    spaced = len(_LETTER_SPACE.findall(line))
    return _LETTER_SPACE.sub("", line) if spaced >= 2 and spaced > len(_CJK_PAIR.findall(line)) else line


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


def _kind(body: str, fields: dict, head: list[str], title: str) -> str:
    opening = "\n".join(head[:4])
    for kind in ("統計分析報告", "施政報告"):
        if kind in opening:
            return kind
    if "出國報告" in opening or "公務出國" in opening or fields.keys() & {"出國期間", "派赴國家"}:
        return "出國報告"
    issued = any((m := _DATE_FIELD.match(line)) and m["key"] == "發文日期" for line in head)
    if issued or any(LETTERHEAD.match(line) for line in head[:12]):
        return "公文"
    for kind, pattern in _KIND_BY_TITLE:
        if pattern.search(title):
            return kind
    if len(_SPEAKER.findall(body)) >= 5:  # ### 唐鳳： … one heading per speaker's turn
        return "逐字稿"
    if _NEWS_DAY.search("\n".join(head[:6])) or any(_NEWS_FIELD.match(line) for line in head[:8]):
        return "新聞稿"
    # A file that opens on a top-level heading numbered past ten (貳拾肆、國際事務)
    # is one bureau's chapter of a 施政報告; a trip report has fewer sections.
    numeral = head[0].split("、")[0] if head and _CHAPTER.match(head[0]) else ""
    if "拾" in numeral and numeral != "拾":
        return "施政報告"
    if sum(cue in body for cue in _TRIP_CUES) >= 3:  # an itinerary, a return, impressions
        return "出國報告"
    return "other"


def _city(body: str, fields: dict, cover: list[str], written_by: Author | None) -> tuple[str | None, str]:
    # The author's own header first: other cities' names appear all through the text.
    for key in ("服務機關", "撰寫機關"):
        city = city_prefix(fields.get(key, ""))
        if city:
            return city, f"{key}：{fields[key]}"
    for line in cover:
        match = _GOVERNMENT.search(fold_tai(line))
        if match:
            return match[1], f"cover: {line}"
    if written_by and (written_by.city or written_by.central):
        # a central body's document has no city, whatever cities it names
        return written_by.city, written_by.evidence + ("" if written_by.city else " (central government)")
    return _city_from_evidence(fold_tai(body))


def _city_from_evidence(text: str) -> tuple[str | None, str]:
    """Weigh strong cues (mayor, <city>政府, 訪高) and plain mentions of each city."""
    strong: dict[str, Counter] = {}
    for match in _MAYOR.finditer(text):
        name = match[1] or match[2]
        strong.setdefault(_MAYOR_CITY[name], Counter())[f"mayor {name}"] += 1
    for match in _MAYOR_INSIDE.finditer(text):
        name = _MAYOR_SPLIT[match.group()]
        strong.setdefault(_MAYOR_CITY[name], Counter())[f"mayor {match.group()}"] += 1
    for match in _GOVERNMENT.finditer(text):
        strong.setdefault(match[1], Counter())[match.group()] += 1
    for short, (city, pattern) in _VISIT.items():
        if count := len(re.findall(pattern, text)):
            strong.setdefault(city, Counter())[short] += count
    mentions = Counter(OWN_NAMES[m] for m in _MENTION.findall(text))
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
          period_text: str, name: str = "") -> tuple[str | None, bool, str]:
    # A date outside the years a report can be written (1850年, 0999年5月, 2999年) is passed over.
    stated = find_dates(fields.get("報告日期", ""))
    if stated and _report_time(stated[0].start):
        return stated[0].start, False, f"報告日期：{fields['報告日期']}"
    for line in head:  # 發文日期：中華民國112年9月28日, 時　　間：中華民國101年11月6日10時6分
        if ((match := _DATE_FIELD.match(line) or _DATE_FIELD_GLUED.search(line)) and (found := find_dates(match["value"]))
                and not found[0].is_range and _report_time(found[0].start) and len(found[0].start) >= 7):
            return found[0].start, False, f"{match['key']}：{match['value']}"
    for line in head[:15]:  # a cover date on a line of its own (中華民國 111 年 8 月), or after the body (財政部113年4月)
        dated = (found := body_prefix(line)) and found[1] or line
        if _is_date_line(dated) and _report_time(find_dates(dated)[0].start):
            return find_dates(dated)[0].start, False, f"cover date: {line}"
    if head and len(head[0]) <= DATE_LINE_CHARS and len(found := find_dates(head[0])) == 1 \
            and not found[0].is_range and len(found[0].start) == 10 \
            and _report_time(found[0].start):  # a title that names its day (…定期會…質詢113年9月30日)
        return found[0].start, False, f"title: {head[0]}"
    # No stated date: a report is written after what it covers, so the end of
    # its period is the earliest date it can carry.
    if period.end and _report_time(period.end):
        return period.end, True, f"no report date stated; end of the period covered ({period_text})"
    if (match := _NAME_DATE.search(name)) and _report_time(match[1]):
        return f"{match[1]}-{match[2]}-{match[3]}", True, f"no date stated; the file's name ({name})"
    named = [m for m in find_dates(name) if not m.is_range and len(m.start) == 10 and _report_time(m.start)]
    if named:  # …質詢113年9月30日.txt
        return named[-1].start, True, f"no date stated; the file's name ({name})"
    if mentions:
        # A range the text names (a term, 自107年11月1日起至109年10月31日止; a plan's years)
        # may end after the document was written; its start cannot be later.
        latest = max(mentions, key=lambda m: m.start if m.is_range else m.end)
        when = latest.start if latest.is_range else latest.end
        return when, True, f"no report date stated; latest date in the text ({latest.text})"
    return None, False, ""


def _title(fields: dict, cover: list[str], body_lines: list[str], body: str) -> str:
    if fields.get("出國報告名稱"):
        return fields["出國報告名稱"]
    lines = [line for line in cover if "出國類別" not in line and not _is_date_line(line)]
    if lines:
        title = lines[0]
        for line in lines[1:]:  # a title broken across lines ends a line with 、 or 及
            title += line if title[-1] in "、，,及與和之的" else "：" + line
        return title
    head = body_lines[:15]
    lines = body_lines[:40]  # a 公文's 主旨 follows a dozen lines of letterhead and fields
    for i, line in enumerate(lines):  # a 公文: its letterhead and 主旨
        if match := _SUBJECT.match(line):
            subject = match["value"]
            for more in lines[i + 1:i + 6]:  # 主旨 wrapped over lines, up to 說明：
                if _SUBJECT_ENDS.match(more):
                    break
                subject += more
            subject = re.split(r"說\s*明\s*[：:]", subject)[0]  # …請查照。說明： on the same line
            letterhead = next((re.sub(r"\s+", "", h) for h in lines[:i] if LETTERHEAD.match(h)), "")
            return _shorten(f"{letterhead}：{subject}" if letterhead else subject, 80)
    if h1 := _first_h1(body):  # a web page's or a transcript's own title
        return _shorten(h1, 60)
    for line in body_lines:  # e.g. the heading of an itinerary table
        if _TRIP_TITLE.match(line):
            return line
    return _shorten(_cover_title(head), 40) if head else ""


_FISCAL_YEAR = re.compile(r"(?:中華民國)?\s*\d{2,3}\s*年度?")
_SUBJECT = re.compile(r"^主\s*旨\s*[：:]\s*(?P<value>\S.*)$")
_SUBJECT_ENDS = re.compile(r"^(?:說明|正本|副本|附件|辦法|公告事項|依據)\s*[：:]|^[一二三四五六七八九十]+、")
# A cover's lines that end its title: the session it was given in, a person, a date.
_TITLE_ENDS = re.compile(r"^(?:立法院第|院\s*長|部\s*長|市\s*長|局\s*長|報告人|中華民國)")
_H1 = re.compile(r"^#[ \t]+(?P<title>\S.*?)\s*#*$")


def _first_h1(body: str) -> str | None:
    """The first top-level heading among the first lines, unless it is a logo (TACTRI)
    or a cover's line naming the body (# 行政院, whose title follows: see _cover_title)."""
    lines = [line.strip() for line in body.lstrip().splitlines()[:20] if line.strip()]
    for i, line in enumerate(lines):
        if (match := _H1.match(line)) and not re.fullmatch(r"[A-Z]{2,10}", match["title"]):
            title = _unspaced(match["title"])
            for more in lines[i + 1:i + 3]:  # a title set over two lines of large type
                if not (following := _H1.match(more)) or len(title) > 30:
                    break
                title += _unspaced(following["title"])
            return None if is_body_name(title) else title
        if line.lstrip().startswith("#") and not re.fullmatch(r"#+\s*[A-Z]{2,10}", line.strip()):
            return None  # a smaller heading first (## the title, then # 各單位報告): not the page's title
    return None


def _cover_title(head: list[str]) -> str:
    """The title a document opens with: its first line that is not a logo (TACTRI) or a
    lone date; after a cover's line naming the body (行政院), the lines that finish the
    title (113年度中央政府總預算 / 追加預算案) up to one that names the session, a
    person or a date."""
    lines = [line for line in head if not re.fullmatch(r"[A-Z]{2,10}", line) and not _is_date_line(line)]
    if not lines:
        return head[0]
    title = lines[0]
    if is_body_name(title) or _FISCAL_YEAR.fullmatch(title):  # 行政院 / …; 113 年度 / …
        for line in lines[1:4]:
            if len(line) > 20 or _TITLE_ENDS.match(line) or find_dates(line) and "年度" not in line:
                break
            title += line
    return title


def _shorten(text: str, most: int) -> str:
    return text[:most] + ("…" if len(text) > most else "")


def _is_date_line(line: str) -> bool:
    if len(line) > DATE_LINE_CHARS:  # a date alone on its line is short; prose is not read for one
        return False
    found = find_dates(line)
    return len(found) == 1 and found[0].text == arabic_dates(line)


def _countries(body: str, fields: dict, kind: str) -> tuple[str, ...]:
    for key in ("派赴國家", "出國地區"):
        if found := _ranked_countries(COUNTRY.findall(fields.get(key, ""))):
            return found
    if kind == "出國報告" and (found := _ranked_countries(_DESTINATION.findall(body))):
        return found
    # For other kinds, the countries of the partners the report names.
    return countries_named(body)


def countries_named(text: str) -> tuple[str, ...]:
    """The countries `text` names, most named first.

    >>> countries_named("與韓國水原市及南韓釜山市交流，並參訪日本"), countries_named("沿海地區")
    (('韓國', '日本'), ())
    """
    return _ranked_countries(COUNTRY.findall(text))


def _ranked_countries(names: list[str]) -> tuple[str, ...]:
    counts = Counter(country_name(name) for name in names)
    return tuple(name for name, _ in counts.most_common())
