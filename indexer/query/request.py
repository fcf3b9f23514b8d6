"""Turn what a user typed (URL parameters, CLI options) into a SearchRequest.

Everything a person can type is either accepted or refused with a BadRequest
whose message says how to fix it; nothing here can fail in another way.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from functools import lru_cache
from urllib.parse import quote_plus, urlencode

from indexer.errors import BadRequest
from indexer.ingest.metadata import KINDS
from indexer.models import LEVELS, SearchRequest
from indexer.text.cities import parse_city
from indexer.text.dates import parse_user_date, span

MAX_QUERY_CHARS = 200
MAX_PER_PAGE = 100
DEFAULT_PER_PAGE = 10
# Deeper pages are not useful to a person and would make whoosh collect a lot.
MAX_PAGE = 1000
SORTS = ("relevance", "newest", "oldest")


def _one(params: Mapping[str, str], name: str) -> str:
    """A parameter that takes one value: the first when it is given several times."""
    value = params.get(name)
    if isinstance(value, list | tuple):
        value = value[0] if value else None
    return str(value or "")


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = _one(params, name).strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} 必須是整數，收到「{raw}」 ({name} must be a whole number, got {raw!r})") from None
    if value < low or (high is not None and value > high):
        limit = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise BadRequest(f"{name} 超出範圍 {limit}，收到 {value} ({name} must be {limit}, got {value})")
    return value


def _day(params: Mapping[str, str], name: str, last: bool) -> str | None:
    raw = _one(params, name).strip()
    if not raw:
        return None
    first_day, last_day = span(parse_user_date(raw))
    return (last_day if last else first_day).isoformat()


# The filters that take several values (OR within each), and how many values each may take.
FILTERS = ("city", "kind", "agency", "country", "partner", "level")
MAX_FILTER_VALUES = 20


def parse_search_request(params: Mapping[str, str]) -> SearchRequest:
    """Validate search parameters named as in the public contract.

    `q`, `city`, `from`, `to`, `kind`, `agency`, `country`, `partner`, `level`, `sort`, `page`,
    `per_page`; all optional. A filter may be given several times (`city=臺中市&city=基隆市`,
    from a MultiDict such as Flask's `request.args`, or as a list): any of its values passes.

    >>> parse_search_request({"q": "八代", "city": "台中", "from": "111/9/2"}).city
    ('臺中市',)
    >>> parse_search_request({"city": ["台中", "基隆", "臺中市"]}).city
    ('臺中市', '基隆市')
    """
    query = " ".join(_one(params, "q").split())
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(
            f"查詢字串過長 (the query has {len(query)} characters; at most {MAX_QUERY_CHARS} are allowed)"
        )
    date_from = _day(params, "from", last=False)
    date_to = _day(params, "to", last=True)
    if date_from and date_to and date_from > date_to:
        raise BadRequest(
            f"起日晚於迄日 (from {date_from} is after to {date_to}; swap them or widen the range)"
        )
    sort = _one(params, "sort").strip() or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort 必須是 {'、'.join(SORTS)} 之一，收到「{sort}」 (sort must be one of these, got {sort!r})")
    return SearchRequest(
        query=query,
        city=tuple(dict.fromkeys(parse_city(v) for v in _values(params, "city"))),
        date_from=date_from,
        date_to=date_to,
        page=_int(params, "page", 1, 1, MAX_PAGE),
        per_page=_int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        kind=_chosen(params, "kind", KINDS),
        agency=_values(params, "agency"),
        country=_values(params, "country"),
        partner=_values(params, "partner"),
        level=_chosen(params, "level", LEVELS),
        sort=sort,
        fold_copies=_fold(params),
    )


def _fold(params: Mapping[str, str]) -> bool:
    value = _one(params, "copies").strip()
    if value not in ("", "fold", "show"):
        raise BadRequest(f"copies 必須是 fold 或 show，收到「{value}」 (copies must be fold or show, got {value!r})")
    return value == "fold"


def _values(params: Mapping[str, str], name: str) -> tuple[str, ...]:
    """A filter's values, as given (spaces collapsed, empty ones and repeats dropped): free
    text (an agency, a country) is matched exactly, so an unknown one simply finds nothing."""
    getlist = getattr(params, "getlist", None)
    given = getlist(name) if getlist is not None else params.get(name)
    raw = list(given) if isinstance(given, list | tuple) else [given]
    values = tuple(dict.fromkeys(v for v in (" ".join(str(r or "").split()) for r in raw) if v))
    if len(values) > MAX_FILTER_VALUES:
        raise BadRequest(f"{name} 的值過多 ({name} is given {len(values)} times; at most {MAX_FILTER_VALUES})")
    for value in values:
        if len(value) > MAX_QUERY_CHARS:
            raise BadRequest(f"{name} 過長 ({name} has more than {MAX_QUERY_CHARS} characters)")
    return values


def _chosen(params: Mapping[str, str], name: str, allowed) -> tuple[str, ...]:
    values = _values(params, name)
    for value in values:
        if value not in allowed:
            raise BadRequest(f"{name} 必須是 {'、'.join(allowed)} 之一，收到「{value}」 "
                             f"({name} must be one of these, got {value!r})")
    return values


def to_params(request: SearchRequest, **changes: object) -> dict[str, str | list[str]]:
    """The URL parameters that reproduce a request, with some changed (None drops one);
    a filter's values as a list."""
    params: dict[str, object] = {
        "q": request.query,
        "city": list(request.city),
        "from": request.date_from,
        "to": request.date_to,
        "kind": list(request.kind),
        "agency": list(request.agency),
        "country": list(request.country),
        "partner": list(request.partner),
        "level": list(request.level),
        "sort": request.sort if request.sort != "relevance" else None,
        "copies": "fold" if request.fold_copies else None,
        "page": request.page if request.page != 1 else None,
        "per_page": request.per_page if request.per_page != DEFAULT_PER_PAGE else None,
    }
    params.update(changes)
    return {k: ([str(x) for x in v] if isinstance(v, list | tuple) else str(v))
            for k, v in params.items() if v not in (None, "", [], ())}


def pairs(params: Mapping[str, str | list[str]]) -> list[tuple[str, str]]:
    """(name, value) for each value of `to_params`'s parameters: a filter's once per value."""
    return [(k, x) for k, v in params.items() for x in (v if isinstance(v, list) else [v])]


def query_string(request: SearchRequest, **changes: object) -> str:
    """`?q=…&city=…` for a link to the search page with some parameters changed."""
    return "?" + urlencode(pairs(to_params(request, **changes)))


@lru_cache(maxsize=65536)
def _quoted(value: str) -> str:
    """quote_plus, remembered: facets show the same cities, agencies and countries
    search after search, and quote_plus is Python, character by character."""
    return quote_plus(value)


def value_links(request: SearchRequest, *names: str, **changes: object) -> Callable[[str | None], str]:
    """value → `query_string(request, **changes, **{name: value for name in names})`, for
    the many values of a facet: every other parameter is encoded once (urlencode per value
    took a third of a search's time at 200k passages, docs/PERFORMANCE.md)."""
    params = to_params(request, **{**changes, **dict.fromkeys(names, "\x00")})
    parts = [None if k in names else f"{quote_plus(k)}={_quoted(v)}" for k, v in pairs(params)]
    keys = [quote_plus(k) for k, _v in pairs(params)]
    unset = query_string(request, **{**changes, **dict.fromkeys(names)})

    def link(value: str | None) -> str:
        if value in (None, ""):
            return unset
        quoted = _quoted(str(value))
        return "?" + "&".join(f"{k}={quoted}" if part is None else part for k, part in zip(keys, parts, strict=True))

    return link


def toggle_links(request: SearchRequest, name: str, **changes: object) -> Callable[[str], str]:
    """value → the query string with that value of the filter `name` added when it is not
    chosen, removed when it is (the other values and parameters kept, `changes` made):
    the link of one facet value. The rest is encoded once for all the facet's values."""
    chosen = list(getattr(request, name))
    rest = "&".join(f"{quote_plus(k)}={_quoted(v)}" for k, v in pairs(to_params(request, **{**changes, name: None})))

    def link(value: str) -> str:
        values = [v for v in chosen if v != value] if value in chosen else [*chosen, value]
        own = "&".join(f"{name}={_quoted(v)}" for v in values)
        return "?" + "&".join(part for part in (rest, own) if part)

    return link


ATLAS_SORTS = ("passages", "name", "country", "cities", "latest")  # indexer.search.atlas.SORTS
TIMELINE_PER_PAGE = 20


def parse_atlas_request(params: Mapping[str, str]) -> dict:
    """The atlas pages' parameters: `sort` (of /partners), `country` (only its partners),
    `page` (of a partner's timeline). BadRequest names a bad value.

    >>> parse_atlas_request({"sort": "name", "country": " 日本 "})
    {'sort': 'name', 'country': '日本', 'page': 1}
    """
    sort = _one(params, "sort").strip() or ATLAS_SORTS[0]
    if sort not in ATLAS_SORTS:
        raise BadRequest(f"sort 必須是 {'、'.join(ATLAS_SORTS)} 之一，收到「{sort}」 "
                         f"(sort must be one of these, got {sort!r})")
    country = " ".join(_one(params, "country").split())
    if len(country) > MAX_QUERY_CHARS:
        raise BadRequest(f"country 過長 (country has more than {MAX_QUERY_CHARS} characters)")
    return {"sort": sort, "country": country or None, "page": parse_page(params)}


DUPLICATES_PER_PAGE = 20


def parse_page(params: Mapping[str, str]) -> int:
    """A list's `page` (/api/duplicates), from 1; BadRequest names a bad one.

    >>> parse_page({"page": "3"}), parse_page({})
    (3, 1)
    """
    return _int(params, "page", 1, 1, MAX_PAGE)
