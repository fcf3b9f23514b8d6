"""Foreign places the partners' gazetteer does not know, found by how reports write them.

A place is one when a country's name leads it (荷蘭阿梅爾市) or a county's or state's
(美國加州西柯汶納市); and when the text introduces it: with its own name in Latin letters
(巴士底市(Basseterre), 格丁尼亞（Gdynia）市), before its head's title (烏斯季省省長), or as the
other side of an agreement (與西柯汶納市討論締盟). Words no place name holds (各, 城市, 政府,
拜會, 知事, a number…) and Taiwan's own cities are refused.

>>> [(p.name, p.country) for _s, _e, p in unlisted("見證荷蘭阿梅爾市市長與巴士底市(Basseterre)簽署", [])]
[('阿梅爾市', '荷蘭'), ('巴士底市', '荷蘭')]
"""

from __future__ import annotations

import re

from indexer.models import Partner
from indexer.text.cities import city_prefix, normalize_city
from indexer.text.countries import COUNTRY, country_name
from indexer.text.grams import CJK_CHAR

Found = list[tuple[int, int, Partner]]  # (start, end, partner) in the text looked at


def unlisted(written: str, known: Found) -> Found:
    """`known` mentions and the places `written` names that the gazetteer does not know."""
    return _with_introduced(written, _with_led(written, known))


# A place a country's name leads: two to six characters, then what a city, county, state or
# province is called (the shortest such name: 阿梅爾市, not 阿梅爾市市長).
_KIND_OF_SUFFIX = {"市": "city", "町": "city", "縣": "prefecture", "郡": "prefecture", "州": "state", "省": "province"}
# 市 that starts a word of its own (傳統市場, 市民, 市政) ends no city's name.
NOT_A_CITY = re.compile("市[場民政集價值況面容內]")
_PLACE = re.compile(f"{CJK_CHAR}{{2,6}}?[{''.join(_KIND_OF_SUFFIX)}]")
# Words no place name holds: 日本各城市, 美國的友好城市, 日本姊妹市, 韓國地方政府…
_NOT_A_PLACE = re.compile("[各等與及和的在之為是有將對到從向並或於以其該本我貴全多每第一二三四五六七八九十兩幾繼亦也再又曾已]|^[府廳]|城市|縣市|都市|姊妹|姐妹|"
                          "友好|友誼|締|國內|地方|當地|相關|主要|其他|大使|代表|辦事|協會|公司|大學|學校|企業|銀行|政府|內閣|"
                          "拜會|參訪|前往|訪問|出席|會見|推動|進行|展開|辦理|舉辦|簽署|簽訂|交流|合作|"
                          "知事|市長|議長|縣長|州長|省長|局長|部長|處長|議會|議員")


# 陳光豪市長: three characters from a common surname, then 市長, is a person with a title.
_PERSON_TITLED = re.compile("[陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾彭游詹胡施沈余盧梁趙顏柯翁魏孫戴]"
                            f"{CJK_CHAR}{{2}}[市縣州]長")
# How reports introduce a foreign place they have no country before: with its own name
# in Latin letters (巴士底市(Basseterre), 格丁尼亞（Gdynia）市), before its head's title
# (烏斯季省省長), or as the other side of an agreement (與西柯汶納市討論締盟).
_INTRODUCED = re.compile(
    f"(?P<a>{CJK_CHAR}{{2,12}}?)(?P<a_suffix>[市縣州省])?[（(]\\s*[A-Z][A-Za-z .'’-]{{2,40}}[)）](?P<a_after>[市縣州省])?"
    f"|(?P<b>{CJK_CHAR}{{2,12}}?)(?P<b_suffix>[市縣州省])(?P=b_suffix)長"
    f"|與(?P<c>{CJK_CHAR}{{2,8}}?)(?P<c_suffix>[市縣州省])(?:正式|討論|洽談|研議)?(?:締結|締盟|簽署|簽訂|結為)")
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


# What every introduction holds (a Latin name in brackets, a head's title, an agreement's verb):
# `_INTRODUCED` is tried only around these, not at every character (44 µs a passage).
_ANCHOR = re.compile(r"[（(]\s*[A-Z]|([市縣州省])\1長|締結|締盟|簽署|簽訂|結為")
_BEFORE_ANCHOR, _AFTER_ANCHOR = 16, 48  # characters: a name and its suffix, a Latin name and its suffix


def _introductions(written: str):
    """`_INTRODUCED`'s matches in `written`, looked for around its anchors, each once."""
    last = 0
    for anchor in _ANCHOR.finditer(written):
        for match in _INTRODUCED.finditer(written, max(last, anchor.start() - _BEFORE_ANCHOR),
                                          anchor.end() + _AFTER_ANCHOR):
            if match.start() >= last:
                last = match.end()
                yield match


def _with_introduced(written: str, known: Found) -> Found:
    """`known` and the places `_INTRODUCED` finds that no mention covers: foreign (not one of
    Taiwan's cities), named by the country before them or else the country the text names
    nearest before (巴士底市 after 聖克里斯多福及尼維斯)."""
    taken = {i for start, end, _p in known for i in range(start, end)}
    countries = [(m.start(), country_name(m.group())) for m in COUNTRY.finditer(written)]
    found = list(known)
    for match in _introductions(written):
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
        found.append((start, end, Partner(name, country, _KIND_OF_SUFFIX[suffix])))
        taken.update(range(start, end))
    return sorted(found, key=lambda m: m[0])


def _with_led(written: str, known: Found) -> Found:
    """`known` and the places a country or a county (state, province) leads."""
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
        if (any(char in _KIND_OF_SUFFIX for char in name[:-1]) or NOT_A_CITY.match(written, place.end() - 1)
                or titled and (not after_country or _PERSON_TITLED.fullmatch(written[at:place.end() + 1]))):
            continue
        if name.endswith("省") and country == "日本":  # 外務省: a ministry
            continue
        found.append((at, place.end(), Partner(name, country, _KIND_OF_SUFFIX[name[-1]])))
        taken.update(range(at, place.end()))
        leads.append((place.end(), country, False))
    return sorted(found, key=lambda m: m[0])


