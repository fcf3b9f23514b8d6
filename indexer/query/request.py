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


def _int(params: Mapping[str, str], name: str, default: int, low: int, high: int | None) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} 必須是整數 ({name} must be a whole number, got {raw!r})") from None
    if value < low or (high is not None and value > high):
        limit = f"{low}–{high}" if high is not None else f"≥ {low}"
        raise BadRequest(f"{name} 超出範圍 ({name} must be {limit}, got {value})")
    return value


def _day(params: Mapping[str, str], name: str, last: bool) -> str | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    first_day, last_day = span(parse_user_date(raw))
    return (last_day if last else first_day).isoformat()


def parse_search_request(params: Mapping[str, str]) -> SearchRequest:
    """Validate search parameters named as in the public contract.

    `q`, `city`, `from`, `to`, `kind`, `agency`, `country`, `sort`, `page`,
    `per_page`; all optional.

    >>> parse_search_request({"q": "八代", "city": "台中", "from": "111/9/2"}).city
    '臺中市'
    """
    query = " ".join((params.get("q") or "").split())
    if len(query) > MAX_QUERY_CHARS:
        raise BadRequest(
            f"查詢字串過長 (the query has {len(query)} characters; at most {MAX_QUERY_CHARS} are allowed)"
        )
    city_raw = (params.get("city") or "").strip()
    city = parse_city(city_raw) if city_raw else None
    date_from = _day(params, "from", last=False)
    date_to = _day(params, "to", last=True)
    if date_from and date_to and date_from > date_to:
        raise BadRequest(
            f"起日晚於迄日 (from {date_from} is after to {date_to}; swap them or widen the range)"
        )
    kind = (params.get("kind") or "").strip() or None
    if kind is not None and kind not in KINDS:
        raise BadRequest(f"kind 必須是 {'、'.join(KINDS)} 之一 (kind must be one of these, got {kind!r})")
    level = (params.get("level") or "").strip() or None
    if level is not None and level not in LEVELS:
        raise BadRequest(f"level 必須是 {'、'.join(LEVELS)} 之一 (level must be one of these, got {level!r})")
    sort = (params.get("sort") or "").strip() or "relevance"
    if sort not in SORTS:
        raise BadRequest(f"sort 必須是 {'、'.join(SORTS)} 之一 (sort must be one of these, got {sort!r})")
    return SearchRequest(
        query=query,
        city=city,
        date_from=date_from,
        date_to=date_to,
        page=_int(params, "page", 1, 1, MAX_PAGE),
        per_page=_int(params, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE),
        kind=kind,
        agency=_text(params, "agency"),
        country=_text(params, "country"),
        level=level,
        sort=sort,
    )


def _text(params: Mapping[str, str], name: str) -> str | None:
    """A free-text filter value (an agency, a country): matched exactly, so an
    unknown one simply finds nothing."""
    value = " ".join((params.get(name) or "").split())
    if len(value) > MAX_QUERY_CHARS:
        raise BadRequest(f"{name} 過長 ({name} has more than {MAX_QUERY_CHARS} characters)")
    return value or None


def to_params(request: SearchRequest, **changes: object) -> dict[str, str]:
    """The URL parameters that reproduce a request, with some changed (None drops one)."""
    params: dict[str, object] = {
        "q": request.query,
        "city": request.city,
        "from": request.date_from,
        "to": request.date_to,
        "kind": request.kind,
        "agency": request.agency,
        "country": request.country,
        "level": request.level,
        "sort": request.sort if request.sort != "relevance" else None,
        "page": request.page if request.page != 1 else None,
        "per_page": request.per_page if request.per_page != DEFAULT_PER_PAGE else None,
    }
    params.update(changes)
    return {k: str(v) for k, v in params.items() if v not in (None, "")}


def query_string(request: SearchRequest, **changes: object) -> str:
    """`?q=…&city=…` for a link to the search page with some parameters changed."""
    return "?" + urlencode(to_params(request, **changes))


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
    parts = [None if k in names else f"{quote_plus(k)}={_quoted(v)}" for k, v in params.items()]
    keys = [quote_plus(k) for k in params]
    unset = "?" + urlencode(to_params(request, **{**changes, **dict.fromkeys(names)}))

    def link(value: str | None) -> str:
        if value in (None, ""):
            return unset
        quoted = _quoted(str(value))
        return "?" + "&".join(f"{k}={quoted}" if part is None else part for k, part in zip(keys, parts, strict=True))

    return link
