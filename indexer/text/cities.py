"""Taiwan's 22 cities and counties, and the ways people write them."""

from __future__ import annotations

from indexer.errors import BadRequest
from indexer.text.fold import fold_tai

CITIES: tuple[str, ...] = (
    # special municipalities
    "臺北市", "新北市", "桃園市", "臺中市", "臺南市", "高雄市",
    # provincial cities
    "基隆市", "新竹市", "嘉義市",
    # counties
    "新竹縣", "苗栗縣", "彰化縣", "南投縣", "雲林縣", "嘉義縣", "屏東縣",
    "宜蘭縣", "花蓮縣", "臺東縣", "澎湖縣", "金門縣", "連江縣",
)

# Short forms in everyday use.  Bare 新竹 and 嘉義 stay ambiguous (city or
# county) and are resolved only with their suffix.
_SHORT = {
    "北市": "臺北市", "新北": "新北市", "桃市": "桃園市", "中市": "臺中市",
    "南市": "臺南市", "高市": "高雄市", "基市": "基隆市", "竹市": "新竹市",
    "馬祖": "連江縣",
}


def _build_aliases() -> dict[str, str]:
    aliases: dict[str, str] = {}
    stems: dict[str, list[str]] = {}
    for city in CITIES:
        aliases[city] = city
        stems.setdefault(city[:-1], []).append(city)
    for stem, cities in stems.items():
        if len(cities) == 1:  # 新竹 and 嘉義 name both a city and a county
            aliases[stem] = cities[0]
    aliases.update(_SHORT)
    return aliases


ALIASES = _build_aliases()
# Full names and the two-character stems that name one city only (bare 新竹 / 嘉義 do not):
# what a body's name or a mention opens with.
OWN_NAMES = {n: c for n, c in ALIASES.items() if n == c or (len(n) == 2 and n == c[:2])}
OWN_NAMES_LONGEST_FIRST = sorted(OWN_NAMES, key=len, reverse=True)


def city_prefix(text: str) -> str | None:
    """The city a name opens with: 臺中市政府經濟發展局 → 臺中市, 台中市… too; 外交部 → None."""
    folded = fold_tai(text)
    return next((OWN_NAMES[n] for n in OWN_NAMES_LONGEST_FIRST if folded.startswith(n)), None)


def normalize_city(name: str) -> str | None:
    """The official name for a way of writing a city, or None if it is not one.

    >>> normalize_city("台中")
    '臺中市'
    """
    key = fold_tai("".join(name.split()))
    key = key.removesuffix("政府")
    return ALIASES.get(key)


def parse_city(name: str) -> str:
    """Like `normalize_city`, but raises BadRequest with the accepted names."""
    city = normalize_city(name)
    if city is None:
        raise BadRequest(
            f"「{name}」不是臺灣的縣市名稱 (not a Taiwanese city or county); "
            f"use one of: {'、'.join(CITIES)}"
        )
    return city
