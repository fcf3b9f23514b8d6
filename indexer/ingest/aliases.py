"""Aliases a report defines for itself: abbreviations and surname references.

(Longer than most modules: each rule below is short, and they share the
counting index that keeps learning linear in the text's length.)

Reports name a thing once in full and then by a shorter form, so a passage
that answers a query often lacks the words the user typed.  This module
learns those pairs from one report's own text, by rules that hold in any
report (no list per report), and is pure: text in, `Alias` records out.

>>> [(a.short, a.full, a.kind) for a in find_aliases(
...     "拜會日本經濟團體連合會（以下簡稱經團連）。張峯源局長致詞，張局長表示感謝。")]
[('經團連', '日本經濟團體連合會', 'abbreviation'), ('張局長', '張峯源局長', 'reference')]

Abbreviations: `X（Y）`, `X（以下簡稱Y）`, `Y（X）` where the short side is
2-6 CJK characters taken in order from the long side (經團連 ⊂ 日本經濟團體
連合會), or Latin initials (Fukuoka Growth Next（FGN）); `「X」ACR`, `X（ACR）`
and `ACR（X）` pair a CJK term with an all-caps acronym; and a capitalised
Latin phrase whose initials spell an acronym used elsewhere in the text.

References: a person named in full next to a title (蔣萬安市長, 副知事佐藤
弘之) and later by surname and title (蔣市長, 佐藤副知事).  Full is always
name + title (佐藤弘之副知事), whichever order the text used.
"""

from __future__ import annotations

import os
import re
from collections import defaultdict
from dataclasses import dataclass

_CJK = r"\u3040-\u30ff\u3400-\u9fff\uf900-\ufaff々"
_CJK_RUN = re.compile(f"[{_CJK}]+")
_ACRONYM = re.compile(r"[A-Z]{2,6}")
# Capitals in parentheses that name an app or a format, not what the words before stand
# for: 淡江促參教育訓練（LINE）群組 is a LINE group.
NOT_ACRONYMS = frozenset({"LINE", "APP", "PDF", "ODF", "DOC", "QR", "USB", "IG", "FB", "WIFI", "EMAIL", "OK",
                          "ID", "URL", "WEB", "GPS", "SMS", "TV", "PC"})
_PAREN = re.compile(r"[（(]([^（）()\n]{1,60})[）)]")
# "（以下簡稱經團連）", "(簡稱 FGN)": the writer says outright it is a definition.
_DEFINES = re.compile(r"^\s*(?:以下)?(?:簡稱|下稱|稱)為?\s*[「『\"]?(.+?)[」』\"]?\s*$")
# Where an organisation's name cannot start: the verb or conjunction before it.
# Multi-character verbs first, so that 參訪 is cut whole rather than at 訪.
_LEFT_STOPS = re.compile(
    "拜會|拜訪|參訪|考察|出席|參加|參與|簽署|簽訂|締結|成立|邀請|包括|包含|透過|倡議|推動|舉辦|"
    "擔任|加入|前往|協助|取得|參考|建立|提升|鼓勵|增訂|納管|落實|進入|完成|強化|推出|辦理|"
    "修正|導入|啟用|設置|加強|持續|結合|運用|採用|依據|依照|配合|補助|我國|有關|適用|"
    "[與及和的於在由向跟對將並為是即赴等之如含]"
)
# A CJK run that starts right after a number starts with its unit: 114年1月取得… → 取得…
_UNIT_AFTER_NUMBER = re.compile("^[年月日屆次個期季週號條款項件位名家所場]+")
_LATIN_FUNCTION_WORDS = {"of", "and", "the", "for", "in", "on", "to", "de", "&"}

TITLES = (  # noqa: SIM905 -- a list this long reads better as words
    "市長 副市長 縣長 副縣長 區長 省長 州長 知事 副知事 總統 副總統 首相 總理 院長 部長 次長 "
    "局長 副局長 處長 副處長 署長 司長 所長 館長 校長 秘書長 副秘書長 主委 主任委員 委員長 "
    "議長 副議長 議員 眾議員 參議員 董事長 總經理 執行長 總裁 副總裁 社長 會長 副會長 理事長 "
    "大使 代表 副代表 課長 科長 組長 主席"
).split()
# 前 (former) belongs to the title: 日本前首相麻生太郎 … 麻生前首相.
_TITLE = re.compile("前?(?:" + "|".join(sorted(TITLES, key=len, reverse=True)) + ")")
# A full name: 2-5 characters, or a Japanese surname and given name with a space (成松 由紀夫).
_NAME = re.compile(f"[{_CJK}]{{2,5}}|[{_CJK}]{{2}}[ 　][{_CJK}]{{1,3}}")
# Characters of place and office names (八代市, 經濟發展局), never of a person's name here.
_NOT_IN_NAMES = set("市縣県府局處署館省州都會黨校")
# Words around a name (由黃駿逸秘書長, 麻生太郎與…); only 由 and 也 also occur inside one (由紀夫, 和也).
_NAME_STOPS = set("與及的於在由向跟對將並亦也則率偕暨等為以、")


@dataclass(frozen=True)
class Alias:
    """`short` stands for `full` in one report; `evidence` is the text that says so."""

    short: str
    full: str
    kind: str  # "abbreviation" | "reference" | "split name"
    evidence: str


def find_aliases(text: str) -> list[Alias]:
    """Every alias `text` defines, abbreviations first, each pair once."""
    found: dict[tuple[str, str], Alias] = {}
    for alias in [*_parenthesised(text), *_quoted_acronyms(text), *latin_initials(text), *_references(text),
                  *_split_names(text)]:
        found.setdefault((alias.short, alias.full), alias)
    return list(found.values())


def _is_subsequence(short: str, full: str) -> bool:
    rest = iter(full)
    return all(char in rest for char in short)


def _abbreviates(short: str, full: str) -> bool:
    # A short form the full name already contains (熊本 in 熊本縣) adds nothing to a search.
    return 2 <= len(short) <= 6 and len(short) < len(full) and short not in full and _is_subsequence(short, full)


def _is_cjk(s: str) -> bool:
    return bool(s) and _CJK_RUN.fullmatch(s) is not None


def _term_before(before: str, short: str | None = None, limit: int = 15) -> str | None:
    """The name that ends where `before` ends: a 「quoted」 term, or the CJK run cut after its last verb.

    With `short`, the cut is the last one that still leaves every character of `short`.
    """
    if before.endswith(("」", "』")):
        start = max(before.rfind("「"), before.rfind("『"))
        term = before[start + 1 : -1]
        return term if start >= 0 and _is_cjk(term) and len(term) <= limit else None
    run = re.search(f"[{_CJK}]+$", before)
    if not run:
        return None
    after_number = before[: run.start()].rstrip(" ")[-1:].isdigit()  # 第 28 屆國際…
    run = _UNIT_AFTER_NUMBER.sub("", run.group()) if after_number else run.group()
    cuts = [0] + [m.end() for m in _LEFT_STOPS.finditer(run)]
    for cut in reversed(cuts):
        term = run[cut:]
        if len(term) >= 2 and (short is None or _abbreviates(short, term)):
            return term if len(term) <= limit else None
    return None


def _written(text: str, before: str, full: str, end: int, offset: int) -> str:
    """The text from `full` (and its opening quote, if quoted) to `end`: 「日華懇談會」(以下簡稱日華懇).
    `before` is text[offset:] up to the parenthesis."""
    return text[offset + before.rfind(full) - before.endswith(("」", "』")) : end]


def _latin_expansion(phrase: str, acronym: str) -> str | None:
    """The last words of `phrase` whose capital initials spell `acronym` (Fukuoka Growth Next → FGN)."""
    used: list[str] = []
    initials = ""
    for word in reversed(re.findall(r"[A-Za-z][A-Za-z'’.-]*|&", phrase)):
        if len(initials) == len(acronym):
            break
        used.insert(0, word)
        if word.lower() not in _LATIN_FUNCTION_WORDS:  # "City of Fukuoka" → CF
            initials = word[0] + initials
    return " ".join(used) if initials == acronym else None


_LOOKBACK = 200  # characters: far longer than any name defined in parentheses
_WRAP = re.compile(f"(?<=[{_CJK}])[ \\t]*\\n[ \\t]*(?=[{_CJK}])")


def _stem(short: str, full: str) -> tuple[str, str] | None:
    """The abbreviation inside an abbreviation: 促參法細則 for 促進民間參與公共建設法施行細則
    ends as its name does (細則), and what comes before, 促參法, stands for the name's start
    up to the character it ends with: 促進民間參與公共建設法. None when the two do not so end."""
    common = len(os.path.commonprefix([short[::-1], full[::-1]]))
    stem, rest = short[: len(short) - common], full[: len(full) - common]
    if common < 2 or len(stem) < 2:
        return None
    at = -1
    for char in stem:  # the earliest place each character of the stem is found, in order
        at = rest.find(char, at + 1)
        if at < 0:
            return None
    return (stem, rest[: at + 1]) if at + 1 > len(stem) else None


def _parenthesised(text: str):
    for m in _PAREN.finditer(text):
        # Only the tail before the parenthesis can hold the term it defines; searching the
        # whole prefix (regexes anchored at its end still scan from its start) was quadratic.
        offset = max(0, m.start() - _LOOKBACK)
        before, evidence = text[offset : m.start()], m.group()
        defined = _DEFINES.match(m.group(1))
        inner = (defined.group(1) if defined else m.group(1)).strip()
        trailing_latin = re.search(r"(?:[A-Za-z][A-Za-z'’.-]*|&)(?:[ ]+(?:[A-Za-z][A-Za-z'’.-]*|&))*[ ]*$", before)
        trailing_acronym = re.search(r"(?<![A-Za-z])([A-Z]{2,6})[ ]*$", before)
        if _is_cjk(inner) and trailing_acronym:
            if len(inner) >= 3:  # JAS（日本農林規格）
                yield Alias(trailing_acronym.group(1), inner, "abbreviation", trailing_acronym.group() + evidence)
        elif _is_cjk(inner):
            # a name a wrapped line split (…公共建設法施 / 行細則（下稱促參法細則）) is one name
            unwrapped = _WRAP.sub("", before)
            full = _term_before(unwrapped, inner) if len(inner) <= 6 else None
            if full:  # 日本經濟團體連合會（經團連）, 「日華懇談會」(以下簡稱日華懇)
                written = (_written(text, before, full, m.end(), offset) if unwrapped == before
                           else full + evidence)
                yield Alias(inner, full, "abbreviation", written)
                if stem := _stem(inner, full):  # 促參法細則 for …法施行細則: 促參法 for …法
                    yield Alias(*stem, "abbreviation", written)
                continue
            run = re.search(f"[{_CJK}]{{2,6}}$", before)
            for size in range(len(run.group()) if run else 0, 1, -1):  # 經團連（日本經濟團體連合會）
                if _abbreviates(short := before[-size:], inner):
                    yield Alias(short, inner, "abbreviation", short + evidence)
                    break
        elif _ACRONYM.fullmatch(inner) and inner not in NOT_ACRONYMS:
            if trailing_latin and (full := _latin_expansion(trailing_latin.group(), inner)):
                yield Alias(inner, full, "abbreviation", full + evidence)  # Fukuoka Growth Next（FGN）
            elif full := _term_before(before, limit=10):  # 綠色轉型（GX）
                yield Alias(inner, full, "abbreviation", _written(text, before, full, m.end(), offset))
        elif (trailing_acronym and (full := _latin_expansion(inner, trailing_acronym.group(1)))
              and full == " ".join(inner.split())):  # FGN（Fukuoka Growth Next）
            yield Alias(trailing_acronym.group(1), full, "abbreviation", trailing_acronym.group() + evidence)


def _quoted_acronyms(text: str):
    """「木材利用合作備忘錄」MOU: a quoted CJK term glossed at once by an acronym."""
    for m in re.finditer(r"「([^「」\n]{2,15})」[ ]?([A-Z]{2,6})(?![A-Za-z])", text):
        if _is_cjk(m.group(1)):
            yield Alias(m.group(2), m.group(1), "abbreviation", m.group())


_CAPITALISED_PHRASE = re.compile(  # 3-6 capitalised words, no capitalised word just before or after
    r"(?<![A-Za-z])(?<![A-Z][a-z] )(?<![A-Z][a-z]{2} )[A-Z][a-z]+(?:\s+[A-Z][a-z]+){2,5}(?![A-Za-z])(?!\s+[A-Z])")
_CAPITALISED_WORD = re.compile(r"(?<![A-Za-z])[A-Z][a-z]+")


def latin_initials(text: str):
    """A capitalised phrase whose initials spell an acronym the text also uses (Fukuoka Growth Next … FGN).

    Without parentheses the only evidence is the spelling, so it must be exact:
    every word capitalised, at least three of them, and no capitalised word
    just before or after (which would make the phrase longer than the acronym).
    Each acronym's first such phrase counts; the text is read once for all
    acronyms (a search per acronym grew with the square of the text).
    """
    acronyms = {m.group() for m in re.finditer(r"(?<![A-Za-z])[A-Z]{3,6}(?![A-Za-z])", text)}
    first: dict[str, str | None] = {}  # acronym → its phrase, or None when a capitalised word precedes it
    for word in _CAPITALISED_WORD.finditer(text) if acronyms else ():
        phrase = _CAPITALISED_PHRASE.match(text, word.start())
        if not phrase:
            continue
        acronym = "".join(w[0] for w in phrase.group().split())
        if acronym in acronyms and acronym not in first:
            first[acronym] = None if _capitalised_word_ends(text, phrase.start()) else " ".join(phrase.group().split())
    for acronym in sorted(acronyms):
        if full := first.get(acronym):
            yield Alias(acronym, full, "abbreviation", f"{full} … {acronym}")


def _capitalised_word_ends(text: str, end: int) -> bool:
    """Whether text[:end] ends in a capitalised word and whitespace (`[A-Z][a-z]+\\s+$`)."""
    space = end
    while space and text[space - 1].isspace():
        space -= 1
    letters = space
    while letters and "a" <= text[letters - 1] <= "z":
        letters -= 1
    return space < end and letters < space and letters > 0 and "A" <= text[letters - 1] <= "Z"


def _references(text: str):
    """蔣市長 → 蔣萬安市長: surname + title, where the full name + title also occurs.

    The surname is the name's first character (Chinese names of 2-3) or first
    two (Japanese names, compound surnames); the short form must occur in the
    text.  A short form that fits two different people is dropped.
    """
    people: dict[str, dict[str, str]] = {}  # short → {full: evidence}
    titles = list(_TITLE.finditer(text))
    counts = Occurrences(text) if titles else None
    for m in titles:  # 蔣萬安市長
        if (name := _name_before(counts, m.start(), m.group())) and (short := _short_form(counts, name, m.group())):
            people.setdefault(short, {}).setdefault(name + m.group(), name + m.group())
    for m in titles:  # 副知事佐藤弘之; but in 蔣市長出席大會 the title belongs to 蔣, not to 出席大…
        if {text[m.start() - 1 : m.end()], text[m.start() - 2 : m.end()]} & people.keys():
            continue
        if (name := _name_after(counts, m.end(), m.group())) and (short := _short_form(counts, name, m.group())):
            people.setdefault(short, {}).setdefault(name + m.group(), m.group() + name)
    for short, fulls in people.items():
        if len(fulls) == 1:
            ((full, evidence),) = fulls.items()
            yield Alias(short, full, "reference", f"{evidence} … {short}")


def _short_form(counts: Occurrences, name: str, title: str) -> str | None:
    """蔣市長 for 蔣萬安 + 市長, 中村市長 for 中村博生 + 市長, if the text uses it."""
    for size, longest_given in ((1, 2), (2, 3)):
        if size == 1 and name[0] not in SURNAMES:  # 說明局長 … 說局長, 這樣代表 … 這代表: no one's name
            continue
        if 1 <= len(name[size:].strip()) <= longest_given and _stands_alone(counts, name[:size], title):
            return name[:size] + title
    return None


def _stands_alone(counts: Occurrences, surname: str, title: str) -> bool:
    """Whether surname + title occurs once at least as words of their own.

    After punctuation or a stop word it does; after another character c it
    does only if c + surname is not a word of the text elsewhere: 發局長 is
    the tail of 經發局長 (經發 is a word, 經發局) and 連委員長 of 經團連委員長,
    but 財團篠原局長 is 財團 + 篠原局長 (團篠 occurs nowhere else).
    """
    # Asked again at every mention of the title: the answer is kept, since reading
    # every occurrence of 張市長 at each of them would cost their number squared.
    known = counts.alone.get((surname, title))
    if known is None:
        short, text = surname + title, counts.text
        known = counts.alone[surname, title] = any(
            not _is_cjk(c := text[start - 1 : start]) or c in _NAME_STOPS
            or counts.count(c + surname) == counts.count(c + short)
            for start in counts.starts(short))
    return known


def _plausible_name(name: str) -> bool:
    return (_NAME.fullmatch(name) is not None and name[0] not in _NAME_STOPS
            and not set(name) & (_NOT_IN_NAMES | _NAME_STOPS - set("由也")))


def _bounded(counts: Occurrences, name: str, outside: str, outside_is_left: bool) -> bool:
    """Whether `name` ends where `outside`, the character beyond it, begins.

    The edge is certain at punctuation, a stop word or an office name; else a
    name seen twice or more, more often than with `outside` attached, is whole
    (中村博生 is not 村博生: every 村博生 in the text follows 中).
    """
    if not _is_cjk(outside) or outside in _NAME_STOPS or outside in _NOT_IN_NAMES:
        return True
    count = counts.count(name)
    return count >= 2 and counts.count(outside + name if outside_is_left else name + outside) < count


def _name_before(counts: Occurrences, end: int, title: str) -> str | None:
    """張峯源 in 經濟發展局張峯源局長: the shortest plausible name that a surname reference confirms."""
    text = counts.text
    for size in range(2, 7):
        name, outside = text[max(0, end - size) : end], text[max(0, end - size - 1) : end - size]
        if (len(name) == size and _plausible_name(name) and _bounded(counts, name, outside, True)
                and _short_form(counts, name, title)):
            return name
    return None


def _name_after(counts: Occurrences, start: int, title: str) -> str | None:
    """佐藤弘之 in 副知事佐藤弘之，: the shortest plausible name with a clear right edge and a reference."""
    text = counts.text
    window = text[start : start + 7] + ("、" if start + 7 >= len(text) else "")  # the end is an edge
    title_inside = _TITLE.search(window)
    if title_inside:  # 會長古屋圭司眾議員: the name ends where the next title starts
        window = window[: title_inside.start()] + "、"
    for size in range(2, len(window)):
        name = window[:size]
        if (_plausible_name(name) and _bounded(counts, name, window[size], False)
                and _short_form(counts, name, title)):
            return name
    return None


class Occurrences:
    """Where short strings occur in one text, as `str.count` counts them (left to right, no overlap).

    Names are counted in the whole text thousands of times; `text.count` for
    each cost the square of the text's length (a 797,000-character council
    record: 165,881 counts, 150 s).  Every string counted here starts with two
    CJK characters (a name, or a character + a name), so an index of where each
    such pair starts leaves only a few candidates to check per string.

    >>> Occurrences("陳議員說，陳議員陳議員").count("陳議員")
    3
    """

    def __init__(self, text: str):
        self.text = text
        self._pairs: dict[str, list[int]] = defaultdict(list)
        for run in _CJK_RUN.finditer(text):
            start, chars = run.start(), run.group()
            for i in range(len(chars) - 1):
                self._pairs[chars[i : i + 2]].append(start + i)
        self._found: dict[str, list[int]] = {}
        self.alone: dict[tuple[str, str], bool] = {}  # (surname, title) → `_stands_alone`

    def starts(self, s: str) -> list[int]:
        found = self._found.get(s)
        if found is None:
            if len(s) >= 2 and _is_cjk(s[:2]):
                found, end = [], 0
                for i in self._pairs.get(s[:2], ()):
                    if i >= end and self.text.startswith(s, i):
                        found.append(i)
                        end = i + len(s)
            else:
                found = [m.start() for m in re.finditer(re.escape(s), self.text)]
            self._found[s] = found
        return found

    def count(self, s: str) -> int:
        return len(self.starts(s))


# The commonest surnames of Taiwan: a title between one of them and a given name is a
# person (陳議長幸進), between other characters rarely (說局長, 這代表).
SURNAMES = frozenset(
    "陳林黃張李王吳劉蔡楊許鄭謝郭洪曾邱廖賴周徐蘇葉莊呂江何蕭羅高潘簡朱鍾游彭詹胡施沈余盧梁趙顏柯翁魏孫戴范"
    "方宋鄧杜傅侯曹薛丁卓阮馬董溫温唐藍蔣石古紀姚連馮歐程湯田康姜白汪鄒尤巫鐘黎涂龔嚴韓袁金童陸夏柳凃邵錢"
    "伍倪于譚駱熊任甘秦顧毛章史官萬俞雷粘饒")
# Words after a title that are not a given name (蔣市長表示, 任州長之, 黃秘書長代表).
_NOT_GIVEN = frozenset("之表示代出說指致答回應是的了在於也為以並將向跟對和或但而就都還再又更很所其此該各本今昨明"
                       "赴至到偕率參談提續借共一上下")
_WRAPPED = re.compile(f"[ \\t\u3000]*\\r?\\n[ \\t\u3000]*[{_CJK}]")
# A title written between a surname and a given name, as minutes and letters do.
# Only in a list of people, as minutes and letters write them (主席：陳議長幸進　記錄：…,
# 蔡議員錦賢、游議員輝廷等): in running text the title is followed by a verb (蔣市長共勉).
_SPLIT_NAME = re.compile(
    f"(?<![{_CJK}])(?P<surname>[" + "".join(sorted(SURNAMES)) + "])(?P<title>" + "|".join(sorted(TITLES, key=len, reverse=True))
    + f")(?P<given>[{_CJK}]{{1,2}}?)(?=[^{_CJK}]|[等、]|$)")


def _split_names(text: str):
    """陳議長幸進 → 陳幸進, 林副市長欽榮 → 林欽榮: the name a title was written into,
    so that a search for the full name finds it."""
    for m in _SPLIT_NAME.finditer(text):
        given = m["given"]
        if set(given) & (_NOT_IN_NAMES | _NAME_STOPS | _NOT_GIVEN) or given in TITLES:
            continue
        if _WRAPPED.match(text, m.end()):  # 游議員輝 / 廷: the name goes on past a hard wrap
            continue
        yield Alias(m.group(), m["surname"] + given, "split name", m.group())
