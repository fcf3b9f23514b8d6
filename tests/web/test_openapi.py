"""/api/openapi.json describes the running app: schemathesis sends generated
requests to every documented operation and checks each answer against it."""

from __future__ import annotations

import re

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from indexer.errors import BadRequest
from indexer.text.dates import parse_user_date
from web.openapi import openapi_description

# Loaded from the same data the app serves (a test below checks they are
# equal): schemathesis.pytest.from_fixture, the way to load it from the
# running app, breaks on pytest 9.2 (it sets Node._nodeid, which is gone).
schema = schemathesis.openapi.from_dict(openapi_description())


@schema.hook
def map_query(context, query):
    """Send generated values as the app reads them, where OpenAPI cannot say how.

    - The app ignores white space around and within values (an empty value
      means "not given", which `allowEmptyValue` does say), so runs of white
      space are sent as one space, and none at the ends.
    - Besides `format: date`, `from`/`to` accept spellings no JSON Schema can
      list (2022, 111/9/2, 民國111年, even 1.9 = ROC year 1, September), so a
      generated "invalid" date the app can read is swapped for one it cannot.
    - `from` must not be after `to`: a valid pair in the wrong order is swapped.
    """
    if not query:  # operations without query parameters
        return query
    query = {name: " ".join(value.split()) if isinstance(value, str) else value for name, value in query.items()}
    for name in ("from", "to"):
        value = query.get(name)
        if isinstance(value, str) and value and not _iso_day(value) and _readable_date(value):
            query[name] = "not a date"
    start, end = query.get("from"), query.get("to")
    if _iso_day(start) and _iso_day(end) and start > end:
        query["from"], query["to"] = end, start
    return query


def _iso_day(value) -> bool:
    return isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value) is not None


def _readable_date(value: str) -> bool:
    try:
        parse_user_date(value)
    except BadRequest:
        return False
    return True


@schema.parametrize()
@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
def test_app_answers_as_described(case, app):
    # Every built-in check: status code documented, content type, response
    # schema and headers, valid data accepted, invalid data refused, 405 with
    # Allow for an undocumented method, no 5xx.
    response = case.call_and_validate(app=app)
    assert response.status_code < 500, case.as_curl_command()


# Generated ids never name a real report and generated queries rarely find
# anything, so the success responses are also checked on known requests.
KNOWN_REQUESTS = [
    ("/api/search", {"q": "八代"}),
    ("/api/search", {"q": "八代", "sort": "oldest", "per_page": "100"}),
    ("/api/search", {"q": "八带"}),  # nothing found: spelling suggestions
    ("/api/search", {"q": "八代", "city": "臺北市"}),  # nothing found: fewer filters
    ("/api/search", {"q": "熊本 半導體"}),  # partial matches after the full ones
    ("/api/search", {"q": "八代 港口 締結"}),  # partial matches only
    ("/api/search", {}),
    ("/api/search.csv", {"q": "八代", "from": "2022"}),
    ("/api/search.ndjson", {"q": "八代", "city": "基隆市"}),
    ("/", {"q": "八代", "city": "基隆"}),
    ("/", {}),
    ("/api/search", {"q": "友好", "partner": "八代市"}),
    ("/api/partners", {}),
    ("/api/partners", {"sort": "name", "country": "日本"}),
    ("/partners", {"sort": "latest"}),
    ("/api/duplicates", {}),
    ("/api/duplicates", {"page": "2"}),
    ("/api/search", {"q": "熊本", "copies": "fold", "per_page": "100"}),
]


@pytest.mark.parametrize("path, query", KNOWN_REQUESTS)
def test_known_requests_answer_as_described(app, path, query):
    case = schema[path]["GET"].Case(query=query)
    response = case.call_and_validate(app=app)
    assert response.status_code == 200


def test_every_report_answers_as_described(app, client):
    for report in client.get("/api/reports").json["reports"]:
        for path in ("/api/reports/{doc_id}", "/reports/{doc_id}"):
            case = schema[path]["GET"].Case(path_parameters={"doc_id": report["doc_id"]}, query={})
            assert case.call_and_validate(app=app).status_code == 200


def test_every_partner_answers_as_described(app, client):
    """/api/partners validates, and so does every partner's page and JSON twin, timeline pages included."""
    listed = client.get("/api/partners").json["partners"]
    assert {"八代市", "宮崎縣", "布拉提斯拉瓦省"} <= {p["name"] for p in listed}
    for partner in listed:
        for path in ("/api/partners/{name}", "/partners/{name}"):
            case = schema[path]["GET"].Case(path_parameters={"name": partner["name"]}, query={})
            assert case.call_and_validate(app=app).status_code == 200
    case = schema["/api/partners/{name}"]["GET"].Case(path_parameters={"name": "八代市"}, query={"page": "2"})
    assert case.call_and_validate(app=app).status_code == 200


def _flask_path(rule: str) -> str:
    """'/reports/<doc_id>' -> '/reports/{doc_id}' (OpenAPI's spelling)."""
    return re.sub(r"<(?:[^:<>]+:)?([^<>]+)>", r"{\1}", rule)


def _routes(app) -> set[tuple[str, str]]:
    return {
        (_flask_path(rule.rule), method.lower())
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - {"HEAD", "OPTIONS"}
    }


def _documented() -> set[tuple[str, str]]:
    return {(path, method) for path, item in openapi_description()["paths"].items() for method in item}


def test_every_route_is_documented(app):
    assert _routes(app) - _documented() == set()


def test_every_documented_operation_exists(app):
    assert _documented() - _routes(app) == set()


def test_the_app_serves_this_description(client):
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    assert response.json == openapi_description()
    assert response.json["openapi"].startswith("3.1")


def test_limits_and_enums_come_from_the_request_parser():
    from indexer.ingest.metadata import KINDS
    from indexer.query.request import (
        FILTERS,
        MAX_FILTER_VALUES,
        MAX_PAGE,
        MAX_PER_PAGE,
        MAX_QUERY_CHARS,
        SORTS,
    )

    parameters = openapi_description()["components"]["parameters"]
    assert parameters["q"]["schema"]["maxLength"] == MAX_QUERY_CHARS
    assert parameters["page"]["schema"]["maximum"] == MAX_PAGE
    assert parameters["per_page"]["schema"]["maximum"] == MAX_PER_PAGE
    assert parameters["sort"]["schema"]["enum"] == list(SORTS)
    assert parameters["kind"]["schema"]["enum"] == list(KINDS)
    for name in FILTERS:  # a filter may be given several times
        assert f"up to {MAX_FILTER_VALUES} times" in parameters[name]["description"]
