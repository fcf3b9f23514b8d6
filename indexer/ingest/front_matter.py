"""YAML front matter: the facts a corpus file states about itself, checked.

    ---
    title: 臺南市政府出國報告
    date: 2023-05-01
    ---
    body …

Front matter comes from whoever filled the corpus folder, so it is read with
less than YAML's safe subset (no anchors or aliases, which let a few hundred
bytes expand to gigabytes; no deep nesting; dates left as text) and every
value is checked.  A value that cannot be used raises UnreadableReport, and
the build skips that one file with the reason.
"""

from __future__ import annotations

import datetime
import re
from urllib.parse import urlsplit

import yaml

from indexer.errors import BadRequest, UnreadableReport
from indexer.models import KINDS, Period
from indexer.text.cities import CITIES, normalize_city
from indexer.text.dates import ROC_OFFSET, parse_range, parse_user_date, span

KEYS = ("title", "city", "agency", "date", "period", "kind", "source", "countries")
# Front matter is a few lines; more than this is a mistake or an attack.
MAX_CHARS = 64 * 1024
# period: {start: …} is two levels deep; nothing needs more.
MAX_DEPTH = 3
_FRONT_MATTER = re.compile(r"\A---[ \t]*\r?\n(.*?\r?\n)---[ \t]*(?:\r?\n|\Z)", re.S)
_TIMESTAMP = "tag:yaml.org,2002:timestamp"
_LIST_SEPARATORS = re.compile(r"\s*[,，、;；]\s*")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


class _Loader(yaml.SafeLoader):
    """SafeLoader without anchors, aliases, deep nesting or YAML timestamps
    (`2023-13-45` would raise ValueError inside YAML; indexer.text.dates checks it)."""

    def __init__(self, stream):
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent) or event.anchor is not None:
            raise yaml.composer.ComposerError(None, None, "anchors and aliases (& and *) are not allowed",
                                              event.start_mark)
        if self._depth >= MAX_DEPTH:
            raise yaml.composer.ComposerError(None, None, f"nested more than {MAX_DEPTH} levels deep",
                                              event.start_mark)
        self._depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


_Loader.yaml_implicit_resolvers = {
    first: [(tag, pattern) for tag, pattern in resolvers if tag != _TIMESTAMP]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
_Loader.add_constructor(_TIMESTAMP, yaml.SafeLoader.construct_yaml_str)  # an explicit !!timestamp too


def split_front_matter(text: str, name: str) -> tuple[dict, str]:
    """(front matter, body) of a text file; ({}, text) without front matter.

    Raises UnreadableReport for front matter that is not YAML, is too long,
    uses anchors or aliases, or has keys other than KEYS.

    >>> split_front_matter("---\\ndate: 2023-05-01\\n---\\n本文", "a.md")
    ({'date': '2023-05-01'}, '本文')
    """
    match = _FRONT_MATTER.match(text)
    if not match:
        return {}, text
    if len(match.group(1)) > MAX_CHARS:
        raise UnreadableReport(f"{name}: front matter longer than {MAX_CHARS // 1024} KB; "
                               "it is meant for a few key: value lines")
    try:
        data = yaml.load(match.group(1), Loader=_Loader) or {}  # noqa: S506 (a SafeLoader, made stricter)
    except yaml.MarkedYAMLError as exc:
        where = f" (line {exc.problem_mark.line + 2})" if exc.problem_mark else ""
        raise UnreadableReport(f"{name}: front matter is not valid YAML: {exc.problem}{where}") from None
    except (yaml.YAMLError, ValueError, TypeError) as exc:  # an explicit tag YAML cannot apply: !!float x
        raise UnreadableReport(f"{name}: front matter is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise UnreadableReport(f"{name}: front matter must be a mapping of key: value lines")
    unknown = sorted(str(key) for key in data if key not in KEYS)
    if unknown:
        raise UnreadableReport(f"{name}: unknown front matter keys {unknown}; allowed: {sorted(KEYS)}")
    return data, text[match.end():]


def front_matter_values(front: dict) -> dict:
    """The Metadata fields that front matter gives, each checked.

    Empty values count as absent. Raises UnreadableReport saying which value is wrong.

    >>> front_matter_values({"city": "台南", "date": "112/6/30"})["date"]
    '2023-06-30'
    """
    front = {key: value for key, value in front.items() if value is not None and value != ""}
    values: dict = {}
    try:
        for key in ("title", "agency", "source"):
            if key in front:
                values[key] = _text(key, front[key])
        if "kind" in front:
            values["kind"] = _text("kind", front["kind"])
            if values["kind"] not in KINDS:
                raise BadRequest(f"kind {values['kind']!r} is not one of {', '.join(KINDS)}")
        if "source" in values:
            _check_source(values["source"])
        if "city" in front:
            city = normalize_city(_text("city", front["city"]))
            if city is None:
                raise BadRequest(f"unknown city {front['city']!r}; use one of {'、'.join(CITIES)}")
            values.update(city=city, city_evidence="front matter")
        if "date" in front:
            values.update(date=_date("date", front["date"]), date_inferred=False, date_evidence="front matter")
        if "period" in front:
            values["period"] = _period(front["period"])
        if "countries" in front:
            values["countries"] = _countries(front["countries"])
    except BadRequest as error:
        raise UnreadableReport(f"front matter: {error}") from error
    return values


def _text(key: str, value: object) -> str:
    """A one-line text value; YAML's numbers are taken as written (title: 2024)."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BadRequest(f"{key} must be text, not {_yaml_type(value)} ({value!r}); put it in quotes")
    text = str(value).strip()
    if _CONTROL.search(text):
        raise BadRequest(f"{key} must be one line of text without control characters")
    return text


def _yaml_type(value: object) -> str:
    kinds = {bool: "true/false", dict: "a mapping", list: "a list"}
    return next((name for kind, name in kinds.items() if isinstance(value, kind)), type(value).__name__)


def _date(key: str, value: object) -> str:
    if isinstance(value, datetime.datetime):  # Python callers may pass dates
        value = value.date()
    try:
        iso = value.isoformat() if isinstance(value, datetime.date) else parse_user_date(_text(key, value))
    except BadRequest as error:
        raise BadRequest(f"{key}: {error}") from None
    if int(iso[:4]) <= ROC_OFFSET:
        raise BadRequest(f"{key} {iso} is before 民國1年 (1912); write a Gregorian year like 2023, "
                         "or an ROC year like 112")
    return iso


def _period(value: object) -> Period:
    """{start, end} (either may be left out) or a range such as 111年9月2日至9月7日."""
    if isinstance(value, dict):
        unknown = sorted(str(key) for key in value if key not in ("start", "end"))
        if unknown:
            raise BadRequest(f"period has keys {unknown}; it takes start and end")
        start, end = (_date(f"period {key}", value[key]) if value.get(key) not in (None, "") else None
                      for key in ("start", "end"))
    else:
        found = parse_range(_text("period", value))
        if not found:
            raise BadRequest(f"unreadable period {value!r}; write {{start: 2023-04-10, end: 2023-04-15}}")
        start, end = (_date("period", iso) for iso in found)
    if start and end and span(start)[0] > span(end)[1]:
        raise BadRequest(f"period starts ({start}) after it ends ({end})")
    return Period(start, end)


def _countries(value: object) -> tuple[str, ...]:
    """A list of names, or one text of names separated by 、 or commas."""
    if isinstance(value, str):
        names = _LIST_SEPARATORS.split(_text("countries", value))
    elif isinstance(value, list) and all(isinstance(name, str) for name in value):
        names = [_text("countries", name) for name in value]
    else:
        raise BadRequest(f"countries must be a list of names such as [日本, 韓國], not {value!r}")
    return tuple(name for name in names if name)


def _check_source(source: str) -> None:
    """An http(s) address, or words naming where the report came from
    (公務出國報告資訊網); an address of any other kind (javascript:) is refused."""
    parts = urlsplit(source)
    if not parts.scheme and not source.startswith("//"):
        return
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc or re.search(r"\s", source):
        raise BadRequest(f"source must be an http:// or https:// address (or words without one), not {source!r}")
