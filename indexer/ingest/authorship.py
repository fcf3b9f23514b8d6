"""Which body wrote a document, read from where documents state it.

A 公文 says it on its letterhead (高雄市殯葬管理處 函) and in 發文機關; a report on its
cover (行政院 / 施政報告) or in 服務機關; council minutes and rules in their title
(新北市議會第1屆…紀錄, 教育部辦理…原則); a rule issued by letter in its 字號
(財政部台財促字第…號). Only a body stated there decides; names mentioned in the text
(a speaker who is 高雄市政府林副市長, a quoted 外交部) do not. A central-government
body has no city.

>>> author(["高雄市殯葬管理處 函", "地址：807077高雄市三民區本館路600巷20號"], "")
Author(agency='高雄市殯葬管理處', city='高雄市', central=False, evidence='letterhead: 高雄市殯葬管理處 函')
>>> author(["行政院", "施政報告"], "行政院施政報告").central
True
"""

from __future__ import annotations

import re
from typing import NamedTuple

from indexer.text.cities import CITIES, OWN_NAMES_LONGEST_FIRST, city_prefix
from indexer.text.fold import fold_tai

# Central-government bodies (and the former names older documents carry), longest
# first so that 行政院農業委員會 wins over 行政院.
CENTRAL = tuple(sorted((
    "總統府", "行政院", "立法院", "司法院", "考試院", "監察院",
    "內政部", "外交部", "國防部", "財政部", "教育部", "法務部", "經濟部", "交通部", "勞動部",
    "衛生福利部", "文化部", "數位發展部", "農業部", "環境部", "運動部",
    "國家發展委員會", "國家科學及技術委員會", "大陸委員會", "金融監督管理委員會", "海洋委員會",
    "僑務委員會", "國軍退除役官兵輔導委員會", "原住民族委員會", "客家委員會", "公共工程委員會",
    "核能安全委員會", "中央選舉委員會", "公平交易委員會", "國家通訊傳播委員會", "中央銀行",
    "行政院主計總處", "行政院人事行政總處", "行政院公共工程委員會", "行政院農業委員會",
    "行政院環境保護署", "行政院衛生署", "行政院新聞局", "行政院研究發展考核委員會",
    "行政院經濟建設委員會", "行政院國家科學委員會", "科技部", "國立故宮博物院",
    "行政院青年諮詢委員會", "行政院公共數位創新空間",
), key=len, reverse=True))
_CENTRAL = "|".join(CENTRAL)
_CITY_NAMES = "|".join(OWN_NAMES_LONGEST_FIRST)
# A city's own bodies: 臺北市政府社會局, 新北市議會, 高雄市殯葬管理處, 基隆市政府.
_LOCAL = rf"(?:{_CITY_NAMES})(?:政府|議會|[^\s，。、：:（(]{{0,12}}?(?:局|處|所|館|中心|委員會|議會|政府))"
_BODY = re.compile(rf"{_LOCAL}|{_CENTRAL}")
# 高雄市殯葬管理處 函 / 財政部 書函 / 臺北市政府 公告: a 公文's letterhead.
LETTERHEAD = re.compile(rf"^(?P<body>{_LOCAL}|{_CENTRAL}|\S{{2,24}}?)\s*(?:函|書函|令|公告|開會通知單|簽)$")
_ISSUER_FIELD = re.compile(r"^(?:發文機關|機關名稱|發布機關|發布單位|發稿單位|新聞發布單位)\s*[：:]\s*"
                           r"(?P<body>[^\s：:]{2,30}?)(?=發布時間|發布日期|發稿時間|發稿日期|聯絡人|$|[\s：:])")
# 財政部台財促字第10525500270號 (the issuing body before its 字號)
_NUMBER = re.compile(rf"(?P<body>{_CENTRAL}|{_LOCAL})(?:[台臺]?\S{{1,6}})?字第\s*\d+\s*號")


# 國家教育研究院於105年1月5日以教研課字第1041103380號函陳報…: a body that sent it
_REPORTED = re.compile(r"(?P<body>[^\s，。、：:（(]{2,12}?(?:院|部|署|局|處|委員會))於[^，。]{0,24}?以\s*\S{1,8}字第\s*\d+\s*號")


# A body's numbered meeting: 臺南市都市計畫委員會第二二五次會議紀錄, …應變中心第四次工作會報
_SESSION_OF = re.compile(r"^(?:\d{2,3}\s*年度)?(?P<body>[^\s第，。、：:]{2,20}?(?:委員會|中心|議會|政府|小組))"
                         r"第\s*[\d一二三四五六七八九十百○〇]+\s*(?:次|屆)")


class Author(NamedTuple):
    agency: str | None
    city: str | None
    central: bool
    evidence: str


NOBODY = Author(None, None, False, "")


def _of(body: str, evidence: str) -> Author:
    body = fold_tai(body)
    central = body.startswith(CENTRAL)
    return Author(body, None if central else city_prefix(body), central, evidence)


def _is_body(name: str) -> bool:
    """A known body or one of its offices (總統府秘書長), or a name ending as a body's
    does (…處, …局, …部, …會, …院, …所)."""
    return bool(_BODY.match(fold_tai(name))) or name.endswith(("處", "局", "部", "會", "院", "所"))


def is_body_name(line: str) -> bool:
    """Whether `line` is a known body's name and nothing more (行政院, 臺北市政府社會局)."""
    return _BODY.fullmatch(line) is not None


def body_prefix(line: str) -> tuple[str, str] | None:
    """(the body, the rest) of a line that opens with a known body: 財政部113年4月."""
    match = _BODY.match(fold_tai(line))
    return (match.group(), line[match.end():].strip()) if match else None


# Where a body is stated the line is short (a letterhead, a cover line, a 字號): only
# this much of each line is read, so that a file that is one long line costs no more.
LINE_CHARS = 300


def author(head: list[str], title: str) -> Author:
    """The body a document states as its author in its first lines (`head`, noise
    removed and letter spacing joined) or its title; NOBODY when none is stated."""
    head, title = [line[:LINE_CHARS] for line in head], title[:LINE_CHARS]
    for line in head:
        if (match := LETTERHEAD.match(line)) and _is_body(match["body"]):
            return _of(match["body"], f"letterhead: {line}")
        if match := _ISSUER_FIELD.match(line):
            return _of(match["body"], f"issuer: {line}")
    for line in head[:3]:  # a cover that opens on the body's name: 行政院 / 施政報告
        if is_body_name(fold_tai(line)):
            return _of(line, f"cover: {line}")
    folded_title = fold_tai(title)
    if match := _SESSION_OF.match(folded_title):  # 尼伯特颱風災害應變中心第四次工作會報會議記錄
        return _of(match["body"], f"title: {title}")
    for line in head[:6]:  # the body and its date under the title: 財政部113年4月
        if (found := body_prefix(line)) and re.fullmatch(r"(?:中華民國)?\s*\d{2,4}\s*年(?:\s*\d{1,2}\s*月)?(?:\s*\d{1,2}\s*日)?",
                                                       found[1]):
            return _of(found[0], f"cover: {line}")
    if (match := _BODY.match(folded_title)) and len(_BODY.findall(folded_title)) == 1:
        # 新北市議會第1屆…紀錄, 教育部辦理…原則 (not 臺北市政府與新北市政府共同主辦: two bodies)
        return _of(match.group(), f"title: {title}")
    opening = "".join(fold_tai(line) for line in head[:8])  # 字號 lines wrap: 核能安全委員會 / 核應字第…號
    if issued := (list(_NUMBER.finditer(opening))
                  or [m for line in head[:8] for m in _REPORTED.finditer(fold_tai(line))]):
        last = issued[-1]  # an amended rule: the body that amended it last
        return _of(last["body"], f"issued as: {last.group()}")
    if not any(city in folded_title for city in CITIES) and (match := re.search(_CENTRAL, title)):
        # a central body named in the title (外交部公民科技外交心得分享), no city: central
        return Author(None, None, True, f"title names {match.group()}")
    return NOBODY
