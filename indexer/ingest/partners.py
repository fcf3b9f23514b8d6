"""The foreign places a passage deals with, each under one name with its country.

A small gazetteer the project keeps (`data/partners.txt`) lists the partners
Taiwanese cities deal with and the forms the reports write them in; the romanised
names come from the query's gazetteer (Yatsushiro → 八代 → 八代市). Every form is
looked for in the folded text, longest first, so 八代市役所, 八代港 and 八代 are all
八代市, 熊本県 and 熊本县 are 熊本縣, and 東京都 is not also 京都.

>>> [p.name for p in partners_in("八代港與基隆港簽訂為姊妹港，並拜會熊本県知事")]
['八代市', '熊本縣']
>>> [p.name for p in partners_in("熊本縣八代市與荷蘭阿梅爾市")]  # a county before its city locates it
['八代市', '阿梅爾市']
>>> partners_in("第八代接班人前往東京大學")
()
"""

from __future__ import annotations

import bisect
import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path

from indexer.text.cities import city_prefix, normalize_city
from indexer.text.countries import COUNTRY, country_name
from indexer.text.fold import fold
from indexer.text.places import GAZETTEER as PLACES_GAZETTEER
from indexer.text.places import romanised_places

GAZETTEER = Path(__file__).with_name("data") / "partners.txt"
# Bumped when how partners or agreements are found changes; with the gazetteers' contents,
# what a build records (a change in either re-reads every report).
PARTNERS_VERSION = 2  # 2: years said from the report (明年), a central report's side named 中央
KINDS = ("city", "prefecture", "province", "state", "region")
# A place's name inside an institution's (東京大學, 京都銀行) is the institution, not the place;
# a bare name inside a venue's or a thing's (東京巨蛋, 福岡國際機場, 熊本熊, 宮崎杉) is the venue.
_INSTITUTION = re.compile(r"大學|大学|學院|銀行|電力|證券|工業大")
_VENUE = re.compile(r"學校|巨蛋|媽祖廟|廟|飯店|機場|晴空塔|鐵塔|僑|中華|首都|國際|熊|杉|放送|電視|新聞|和牛|拉麵")
# A stem after 第 or a digit is a number (第八代, 1八代 would be a typo): 八代 names the place
# only when it stands alone.
_COUNTING = re.compile(r"[第\d]")


@dataclass(frozen=True, order=True)
class Partner:
    name: str  # as the reports write it in full: 八代市, 熊本縣
    country: str  # 日本
    kind: str  # one of KINDS


@dataclass(frozen=True)
class Mention:
    partner: Partner
    start: int  # offsets into the text the mention was found in
    end: int


class Gazetteer:
    """The partners and every form that names one (folded), with one pattern for them all."""

    def __init__(self, rows: list[tuple[Partner, list[str]]], latin: dict[str, str]):
        self.partners: dict[str, Partner] = {}
        self._forms: dict[str, Partner] = {}
        self._stems: set[str] = set()
        for partner, forms in rows:
            if partner.name in self.partners:
                raise ValueError(f"partner listed twice: {partner.name}")
            self.partners[partner.name] = partner
            for form in [partner.name, *forms]:
                self._add(form, partner, stem=form != partner.name and not form.endswith(_SUFFIXES))
            if partner.name.endswith("縣"):
                self._add(partner.name[:-1] + "县", partner, stem=False)
        for name, chinese in latin.items():  # Yatsushiro → 八代 → 八代市
            found = self._forms.get(fold(chinese))
            if found is not None:
                self._forms.setdefault(fold(name), found)
        # Forms by their first two characters (a Latin one by its first word), longest first:
        # one regex alternating 600 forms cost 430 µs a passage, a build of 200k a minute.
        self._by_start: dict[str, list[str]] = {}
        for form in sorted(self._forms, key=len, reverse=True):
            self._by_start.setdefault(_start_key(form), []).append(form)
        firsts = sorted({re.escape(f[0]) for f in self._forms if not f.isascii()})
        self._starts = re.compile(f"[{''.join(firsts)}]|(?<![a-z])[a-z]+")

    def _matches(self, folded: str):
        """(form, start, end) of every form in `folded`, longest first at each place, left to right."""
        last = 0
        for candidate in self._starts.finditer(folded):
            at = candidate.start()
            if at < last:
                continue
            word = candidate.group()
            for form in self._by_start.get(word if word.isascii() else folded[at:at + 2], ()):
                end = at + len(form)
                if folded.startswith(form, at) and not (form.isascii() and folded[end:end + 1].isalpha()
                                                        and folded[end:end + 1].isascii()):
                    yield form, at, end
                    last = end
                    break

    def _add(self, form: str, partner: Partner, stem: bool) -> None:
        key = fold(form)
        self._forms.setdefault(key, partner)  # a shared stem belongs to the first listed
        if stem:
            self._stems.add(key)

    def mentions(self, text: str) -> list[Mention]:
        """Every mention of a partner in `text`, in order; a name a line or page break
        cut (捷克布爾 / 諾市) is one name, as it is to the index.

        Besides the gazetteer's partners, a place the gazetteer does not know is one when
        a country's name leads it (荷蘭阿梅爾市, 美國紐奧良市) or a partner's (美國加州西柯汶納市)."""
        folded, moved = _squeezed(cached_fold(text))
        # (the fold keeps Chinese characters Chinese and whitespace white: the same gaps)
        written = text if moved is None else _GAP.sub("", text)
        found: list[tuple[int, int, Partner]] = []
        for form, start, end in self._matches(folded):
            if _INSTITUTION.match(folded, end):
                continue
            if form in self._stems and (start and _COUNTING.match(folded, start - 1) or _VENUE.match(folded, end)):
                continue
            partner = self._forms[form]
            if form in self._stems and partner.kind != "city" and folded.startswith("市", end) \
                    and not _NOT_A_CITY.match(folded, end):  # 和歌山 is the prefecture, 和歌山市 its city
                partner, end = Partner(written[start:end] + "市", partner.country, "city"), end + 1
            found.append((start, end, partner))
        found = _with_unlisted(written, found)
        found = _with_introduced(written, found)
        # A county or state written before its city (熊本縣八代市, 美國加州西柯汶納市) only locates it.
        found = [m for n, m in enumerate(found)
                 if not (n + 1 < len(found) and found[n + 1][0] == m[1] and m[2].kind != "city"
                         and found[n + 1][2].kind == "city")]
        if moved is None:
            return [Mention(partner, start, end) for start, end, partner in found]
        return [Mention(partner, _original(start, moved), _original(end - 1, moved) + 1) for start, end, partner in found]


def _with_unlisted(written: str, known: list[tuple[int, int, Partner]]) -> list[tuple[int, int, Partner]]:
    """`known` mentions (start, end, partner) and the places a country or a partner leads."""
    # (where a place may start, its country, whether a country's name leads it)
    leads = [(m.end(), country_name(m.group()), True) for m in COUNTRY.finditer(written)]
    leads += [(end, partner.country, False) for _start, end, partner in known if partner.kind != "city"]
    taken = {i for start, end, _p in known for i in range(start, end)}
    found = list(known)
    while leads:
        at, country, after_country = leads.pop()
        place = _PLACE.match(written, at)
        if place is None or at in taken or _NOT_A_PLACE.search(place.group()):
            continue
        name = place.group()
        titled = written.startswith("長", place.end())  # 美國托倫斯市長 … but 東京都議會蔣市長
        if (any(char in _KIND_OF_SUFFIX for char in name[:-1]) or _NOT_A_CITY.match(written, place.end() - 1)
                or titled and (not after_country or _PERSON_TITLED.fullmatch(written[at:place.end() + 1]))):
            continue
        if name.endswith("省") and country == "日本":  # 外務省: a ministry
            continue
        found.append((at, place.end(), Partner(name, country, _KIND_OF_SUFFIX[name[-1]])))
        taken.update(range(at, place.end()))
        leads.append((place.end(), country, False))
    return sorted(found, key=lambda m: m[0])


_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_GAP = re.compile(f"(?<=[{_CJK}])[^\\S\t]+(?=[{_CJK}])")


def _squeezed(text: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """`text` without whitespace between Chinese characters, and where each stretch of it
    starts and how far it moved (None when nothing was taken out; see `_original`)."""
    if not _GAP.search(text):
        return text, None
    kept, starts, shifts, last, removed = [], [], [], 0, 0
    for gap in _GAP.finditer(text):
        kept.append(text[last:gap.start()])
        starts.append(gap.start() - removed)
        removed += gap.end() - gap.start()
        shifts.append(removed)
        last = gap.end()
    kept.append(text[last:])
    return "".join(kept), (starts, shifts)


def _original(offset: int, moved: tuple[list[int], list[int]]) -> int:
    """The offset in the text of the character at `offset` of its squeezed form."""
    starts, shifts = moved
    at = bisect.bisect_right(starts, offset)
    return offset + (shifts[at - 1] if at else 0)


# A place a country's name leads: two to six characters, then what a city, county, state or
# province is called (the shortest such name: 阿梅爾市, not 阿梅爾市市長).
_KIND_OF_SUFFIX = {"市": "city", "町": "city", "縣": "prefecture", "郡": "prefecture", "州": "state", "省": "province"}
# 市 that starts a word of its own (傳統市場, 市民, 市政) ends no city's name.
_NOT_A_CITY = re.compile("市[場民政集價值況面容內]")
_PLACE = re.compile(f"[{_CJK}]{{2,6}}?[{''.join(_KIND_OF_SUFFIX)}]")
# Words no place name holds: 日本各城市, 美國的友好城市, 日本姊妹市, 韓國地方政府…
_NOT_A_PLACE = re.compile("[各等與及和的在之為是有將對到從向並或於以其該本我貴全多每第一二三四五六七八九十兩幾繼亦也再又曾已]|^[府廳]|城市|縣市|都市|姊妹|姐妹|"
                          "友好|友誼|締|國內|地方|當地|相關|主要|其他|大使|代表|辦事|協會|公司|大學|學校|企業|銀行|政府|內閣|"
                          "拜會|參訪|前往|訪問|出席|會見|推動|進行|展開|辦理|舉辦|簽署|簽訂|交流|合作|"
                          "知事|市長|議長|縣長|州長|省長|局長|部長|處長|議會|議員")

# A passage is folded for its partners, then for its agreements (agreements.py): once.
cached_fold = lru_cache(maxsize=256)(fold)


def _start_key(form: str) -> str:
    return form.split(" ")[0] if form.isascii() else form[:2]


# 陳光豪市長: three characters from a common surname, then 市長, is a person with a title.
_PERSON_TITLED = re.compile("[陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴]"
                            f"[{_CJK}]{{2}}[市縣州]長")
# How reports introduce a foreign place they have no country before: with its own name
# in Latin letters (巴士底市(Basseterre), 格丁尼亞（Gdynia）市), before its head's title
# (烏斯季省省長), or as the other side of an agreement (與西柯汶納市討論締盟).
_INTRODUCED = re.compile(
    f"(?P<a>[{_CJK}]{{2,12}}?)(?P<a_suffix>[市縣州省])?[（(]\\s*[A-Z][A-Za-z .'’-]{{2,40}}[)）](?P<a_after>[市縣州省])?"
    f"|(?P<b>[{_CJK}]{{2,12}}?)(?P<b_suffix>[市縣州省])(?P=b_suffix)長"
    f"|與(?P<c>[{_CJK}]{{2,8}}?)(?P<c_suffix>[市縣州省])(?:正式|討論|洽談|研議)?(?:締結|締盟|簽署|簽訂|結為)")
# Where a name cannot start: the words before it (代表巴士底市, 第二大城為格丁尼亞).
_BEFORE_NAME = re.compile("代表|首都|省會|大城為|拜會|參訪|前往|出席|邀請|包括|[與及和的於在由向跟對將並為是即赴等之如、]")
# Characters Chinese writes foreign names with (巴士底, 格丁尼亞, 西柯汶納, 烏斯季): where a country's
# name does not lead an introduced place, its name goes back as far as these do
# (…總理見證巴士底市: 巴士底市).
_TRANSLITERATING = set(
    "阿埃艾愛安奧澳巴拜班邦包保貝本比彼畢波柏博布查達大戴丹道德迪蒂丁東杜敦多厄恩法范菲費芬豐弗福"
    "富伽蓋甘岡戈格根古瓜圭哈海漢豪赫亨洪胡華霍基吉加迦賈簡杰傑金卡凱坎康考柯科克肯庫昆拉萊蘭朗勞"
    "樂勒雷黎里理利列林琳倫羅洛盧魯路呂瑪馬麥曼梅蒙米密明摩莫姆穆納奈南瑙內尼紐努諾歐帕派潘佩蓬皮"
    "普齊奇薩塞桑瑟森沙山善聖施史士斯宋蘇索塔泰坦湯特提廷圖托瓦萬威維溫沃烏伍西希錫夏辛休薛雅亞"
    "延楊耶伊因英尤約贊扎詹澤茲佐季汶底茅")
# a country's name, and the words of its full name after it (帛琉共和國科羅州)
_COUNTRY_LEAD = re.compile(f"({COUNTRY.pattern})(?:共和國|王國|聯邦|合眾國|國)?")
_KIND_OF_SUFFIX_ALL = {"市": "city", "縣": "prefecture", "州": "state", "省": "province"}


def _with_introduced(written: str, known: list[tuple[int, int, Partner]]) -> list[tuple[int, int, Partner]]:
    """`known` and the places `_INTRODUCED` finds that no mention covers: foreign (not one of
    Taiwan's cities), named by the country before them or else the country the text names
    nearest before (巴士底市 after 聖克里斯多福及尼維斯)."""
    taken = {i for start, end, _p in known for i in range(start, end)}
    countries = [(m.start(), country_name(m.group())) for m in COUNTRY.finditer(written)]
    found = list(known)
    for match in _INTRODUCED.finditer(written):
        group = next(g for g in "abc" if match.group(g))
        stem, start = match.group(group), match.start(group)
        suffix = match.group(f"{group}_suffix") or (match.group("a_after") if group == "a" else None)
        if not suffix:
            continue  # 葛力克(Karol Galek): a person
        cut = max((m.end() for m in _BEFORE_NAME.finditer(stem)), default=0)
        lead = _COUNTRY_LEAD.match(stem, cut)
        if lead is None:  # no country before it: the name is as far back as it sounds foreign
            foreign = len(stem)
            while foreign > cut and stem[foreign - 1] in _TRANSLITERATING:
                foreign -= 1
            cut = foreign
        country = country_name(lead.group(1)) if lead else None
        cut = lead.end() if lead else cut
        stem, start = stem[cut:], start + cut
        name = stem + suffix
        if (len(stem) < 2 or taken.intersection(range(start, start + len(stem))) or normalize_city(name)
                or city_prefix(name)
                or _NOT_A_PLACE.search(name) or any(char in _KIND_OF_SUFFIX for char in stem)):
            continue
        if country is None:
            before = [c for at, c in countries if at < start]
            country = before[-1] if before else (countries[0][1] if countries else "")
        end = start + len(stem)
        found.append((start, end, Partner(name, country, _KIND_OF_SUFFIX_ALL[suffix])))
        taken.update(range(start, end))
    return sorted(found, key=lambda m: m[0])


_SUFFIXES = ("市", "縣", "県", "府", "都", "道", "省", "州", "島", "町", "城")


def partners_in(text: str, gazetteer: Gazetteer | None = None) -> tuple[Partner, ...]:
    """The partners `text` names, most named first (then in order of first mention)."""
    return ranked((gazetteer or default_gazetteer()).mentions(text))


def ranked(mentions: list[Mention]) -> tuple[Partner, ...]:
    """The partners of `mentions`, most mentioned first (then in order of first mention)."""
    return tuple(partner for partner, _ in Counter(m.partner for m in mentions).most_common())


def passage_partners(text: str, heading_path: tuple[str, ...] = (), gazetteer: Gazetteer | None = None,
                     mentions: list[Mention] | None = None) -> tuple[Partner, ...]:
    """The partners a passage is about: those it names (its `mentions`, when found already),
    else those its nearest heading names (the paragraphs under 三、拜會八代市役所 deal with
    八代市 without naming it again)."""
    found = partners_in(text, gazetteer) if mentions is None else ranked(mentions)
    if found or gazetteer is not None:
        return found or next(filter(None, (partners_in(h, gazetteer) for h in reversed(heading_path))), ())
    return found or next(filter(None, map(_heading_partners, reversed(heading_path))), ())


@lru_cache(maxsize=4096)
def _heading_partners(heading: str) -> tuple[Partner, ...]:
    """A heading's partners: the same headings come back passage after passage."""
    return partners_in(heading)


def read_gazetteer(text: str, latin: dict[str, str] | None = None) -> Gazetteer:
    """A gazetteer from lines `name<TAB>country<TAB>kind[<TAB>forms]`; `#` starts a comment."""
    rows = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) not in (3, 4) or fields[2] not in KINDS or not fields[0] or not fields[1]:
            raise ValueError(f"partners gazetteer line {number}: want name, country, kind[, forms]: {line!r}")
        forms = fields[3].split() if len(fields) == 4 else []
        rows.append((Partner(fields[0], fields[1], fields[2]), forms))
    return Gazetteer(rows, latin or {})


@cache
def default_gazetteer() -> Gazetteer:
    data = GAZETTEER.read_text(encoding="utf-8")
    latin = {name: forms[0] for name, forms in romanised_places().items() if forms}
    return read_gazetteer(data, latin)


def _signature() -> str:
    digest = hashlib.sha256(str(PARTNERS_VERSION).encode())
    for path in (GAZETTEER, PLACES_GAZETTEER):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


PARTNERS_SIGNATURE = _signature()
