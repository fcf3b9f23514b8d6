"""Agreements a passage states: what kind (姊妹市, 合作備忘錄 …), in what state (signed,
renewed, an anniversary, under negotiation), when, and with which partners.

A sentence that names an agreement and says what happened to it is one agreement;
one that only names it (姊妹市宮崎縣) is not. Its date is the first the sentence
gives (ROC or Gregorian; 同年8月 takes the year the passage gave last), its partners
those the sentence names, else the passage's when it names exactly one.

>>> [(a.kind, a.state, a.date, a.names) for a in find_agreements(
...     "104年4月25日，八代市長參訪基隆。同年8月，八代港與基隆港正式簽訂為姊妹港，"
...     "107年4月19日日本八代市與本市正式締結為友好城市。")]
[('姊妹港', 'signed', '2015-08', ('八代市',)), ('友好城市', 'signed', '2018-04-19', ('八代市',))]
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from indexer.ingest.partners import Mention, Partner, default_gazetteer, ranked
from indexer.text.dates import ROC_OFFSET, find_dates
from indexer.text.fold import fold_cached
from indexer.text.grams import CJK_CHAR, CJK_GAP

# What an agreement is called → the one name it is listed under (姐 and 姊 alike: folded).
KINDS = {
    "姊妹車站": "姊妹車站", "姊妹站": "姊妹車站", "姊妹港": "姊妹港", "友好港": "姊妹港",
    "姊妹城市": "姊妹市", "姊妹市": "姊妹市", "姊妹縣": "姊妹市", "姊妹州": "姊妹市", "姊妹省": "姊妹市",
    "友好交流城市": "友好城市", "友誼城市": "友好城市", "友好城市": "友好城市", "友誼市": "友好城市",
    "姊妹會": "姊妹會", "合作備忘錄": "合作備忘錄", "備忘錄": "合作備忘錄", "mou": "合作備忘錄",
    "夥伴關係協定": "夥伴協定", "夥伴協定": "夥伴協定", "友好交流協定": "交流協定", "交流協定": "交流協定",
    "合作協定": "交流協定", "友好協定": "交流協定",
}
STATES = ("anniversary", "renewed", "negotiating", "signed")  # the first that a clause says wins
_STATE_WORDS = {
    "anniversary": r"週年|周年|年慶",
    "renewed": r"續簽|續約|更新|再次簽署|換約|延長",
    "negotiating": r"洽談|洽簽|研議|協商|磋商|評估|規劃|期盼|期待|有意|意向|盼能|希望|討論|邀請.{0,8}締結",
    "signed": r"締結|締盟|簽訂|簽署|簽約|簽定|結為|正式成為|成為",
}
# Said anywhere in the sentence, these make the agreement one still under negotiation
# (與巴西里約市締結姊妹市案，經多年之交涉商洽，…目前刻正…協商).
_NEGOTIATING = re.compile(r"洽談|洽簽|研議|研擬|協商|磋商|洽商|商洽|交涉|推動.{0,8}締結|締結.{0,8}案|有意締結")
_KIND = re.compile("|".join(sorted(map(re.escape, KINDS), key=len, reverse=True)))
_STATE = {state: re.compile(words) for state, words in _STATE_WORDS.items()}
# A sentence runs to its full stop, and across a line or page break inside Chinese text
# (…八代物產展等 / 活動建立良好友誼。), but not across one before a list item or a row.
_SENTENCE = re.compile(f"(?:[^。！？；!?;\\s]|(?<={CJK_CHAR})\\s+(?={CJK_CHAR})|[ \t\u3000]+)+")
_CLAUSE_END = re.compile("[，,]")  # (the fold makes a full-width comma a comma)
# 各地姊妹市, 其他友好城市: the kind of agreement in general, not one agreement
_ANY = re.compile("各地?|所有|其他|等")
_RELATIVE_YEAR = re.compile(r"([明今去前])\s*(?:[（(]\s*(\d{2,3})\s*[）)])?\s*年(?!度|代|輕|紀|齡|級)")
_RELATIVE = {"明": 1, "今": 0, "去": -1, "前": -2}
_SAME_YEAR = re.compile(r"同年\s*(\d{1,2})\s*月")


@dataclass(frozen=True)
class Agreement:
    kind: str  # a value of KINDS
    state: str  # one of STATES
    date: str | None  # ISO, at the precision written
    partners: tuple[Partner, ...]
    sentence: str  # as written
    start: int  # the sentence's place in the text
    end: int

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.partners)

    def to_dict(self) -> dict:
        return {"kind": self.kind, "state": self.state, "date": self.date, "partners": list(self.names),
                "sentence": self.sentence}


def find_agreements(text: str, passage_partners: tuple[Partner, ...] = (), year: int | None = None,
                    mentions: list[Mention] | None = None) -> list[Agreement]:
    """The agreements `text` states, in order (see the module's docstring). A sentence
    naming several (…簽訂為姊妹港，107年…締結為友好城市) gives one each: the words from
    the end of the one before to the end of its clause are its own. `year`: the report's,
    for a date written without one (嗣於 10 月 3 日). `mentions`: the text's partner mentions,
    when found already."""
    found: list[Agreement] = []
    folded = fold_cached(text)  # the same length as the text; 姐妹 folds to 姊妹
    if not _KIND.search(folded):  # most passages name none
        return found
    if mentions is None:
        mentions = default_gazetteer().mentions(text)

    starts = [m.start for m in mentions]  # in order: a span's mentions found by bisection

    def partners_between(start: int, end: int) -> tuple[Partner, ...]:
        return ranked(mentions[bisect.bisect_left(starts, start):bisect.bisect_left(starts, end)])

    for sentence in _SENTENCE.finditer(text):
        words = folded[sentence.start():sentence.end()]
        kinds = list(_KIND.finditer(words))
        if not kinds:
            continue
        written = sentence.group()
        dates = [(m.offset, m.start) for m in find_dates(written, year)]
        for m in _RELATIVE_YEAR.finditer(written):  # 明(112)年, 明年, 今年, 去年: the report's year and its neighbours
            if m.group(2):
                dates.append((m.start(), str(int(m.group(2)) + ROC_OFFSET)))
            elif year:
                dates.append((m.start(), str(year + _RELATIVE[m.group(1)])))
        if _SAME_YEAR.search(written) and (earlier := find_dates(text[:sentence.start()])):
            same = int(max(m.start for m in earlier)[:4])
            dates += [(m.start(), f"{same}-{int(m.group(1)):02d}") for m in _SAME_YEAR.finditer(written)
                      if 1 <= int(m.group(1)) <= 12]
        dates.sort()
        # what every name of the sentence looks up, found once (a sentence may name thousands)
        date_at = [at for at, _iso in dates]
        commas = [m.start() for m in _CLAUSE_END.finditer(words)]
        negotiated = _NEGOTIATING.search(words) is not None
        shown = CJK_GAP.sub("", written).strip()  # the sentence as it reads
        for n, kind in enumerate(kinds):
            start = kinds[n - 1].end() if n else 0
            end = kinds[n + 1].start() if n + 1 < len(kinds) else len(words)
            after_comma = bisect.bisect_left(commas, kind.end())
            end = min(end, commas[after_comma]) if after_comma < len(commas) else end
            before_comma = bisect.bisect_left(commas, kind.start()) - 1
            own = commas[before_comma] + 1 if before_comma >= 0 and commas[before_comma] >= start else start
            clause = words[own:end]  # its own clause says what happened
            state = next((s for s in STATES if _STATE[s].search(clause)), None)
            if state is None or _ANY.search(words, max(0, kind.start() - 3), kind.start()):
                continue
            if state == "signed" and negotiated:
                state = "negotiating"
            first_before, first_after = bisect.bisect_left(date_at, start), bisect.bisect_left(date_at, kind.start())
            if first_after > first_before:  # the last date the words before the name give
                date = dates[first_after - 1][1]
            elif first_after < len(dates) and (date_at[first_after] < end or state == "anniversary"):
                date = dates[first_after][1]
            else:
                date = None
            at = sentence.start()
            partners = (partners_between(at + own, at + end) or partners_between(at + start, at + end)
                        or partners_between(at, sentence.end())
                        or (passage_partners if len(passage_partners) == 1 else ()))
            if partners:
                found.append(Agreement(KINDS[kind.group()], state, date, partners, shown,
                                       sentence.start(), sentence.end()))
    return found
