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
from functools import cache, lru_cache
from pathlib import Path

from indexer.ingest.unlisted import NOT_A_CITY, unlisted
from indexer.models import Mention, Partner
from indexer.text.fold import fold, fold_cached
from indexer.text.grams import CJK_GAP
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

        Besides the gazetteer's partners, the places it does not know that the text writes as
        reports write foreign places (`unlisted.py`: 荷蘭阿梅爾市, 巴士底市(Basseterre))."""
        folded, moved = _squeezed(fold_cached(text))
        # (the fold keeps Chinese characters Chinese and whitespace white: the same gaps)
        written = text if moved is None else CJK_GAP.sub("", text)
        found: list[tuple[int, int, Partner]] = []
        for form, start, end in self._matches(folded):
            if _INSTITUTION.match(folded, end):
                continue
            if form in self._stems and (start and _COUNTING.match(folded, start - 1) or _VENUE.match(folded, end)):
                continue
            partner = self._forms[form]
            if form in self._stems and partner.kind != "city" and folded.startswith("市", end) \
                    and not NOT_A_CITY.match(folded, end):  # 和歌山 is the prefecture, 和歌山市 its city
                partner, end = Partner(written[start:end] + "市", partner.country, "city"), end + 1
            found.append((start, end, partner))
        found = unlisted(written, found)
        # A county or state written before its city (熊本縣八代市, 美國加州西柯汶納市) only locates it.
        found = [m for n, m in enumerate(found)
                 if not (n + 1 < len(found) and found[n + 1][0] == m[1] and m[2].kind != "city"
                         and found[n + 1][2].kind == "city")]
        if moved is None:
            return [Mention(partner, start, end) for start, end, partner in found]
        return [Mention(partner, _original(start, moved), _original(end - 1, moved) + 1) for start, end, partner in found]




def _squeezed(text: str) -> tuple[str, tuple[list[int], list[int]] | None]:
    """`text` without whitespace between Chinese characters, and where each stretch of it
    starts and how far it moved (None when nothing was taken out; see `_original`)."""
    if not CJK_GAP.search(text):
        return text, None
    kept, starts, shifts, last, removed = [], [], [], 0, 0
    for gap in CJK_GAP.finditer(text):
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




def _start_key(form: str) -> str:
    return form.split(" ")[0] if form.isascii() else form[:2]


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
