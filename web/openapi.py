"""The OpenAPI 3.1 description of every route of the app, as plain data.

    openapi_description()["paths"]["/api/search"]["get"]["parameters"]

Limits and enums come from `indexer.query.request` (and the code that fills each
field), so the description cannot drift from what the app accepts; a test runs
schemathesis against the running app to prove the rest.
"""

from __future__ import annotations

from indexer.ingest.agreements import KINDS as AGREEMENT_KINDS
from indexer.ingest.agreements import STATES as AGREEMENT_STATES
from indexer.ingest.metadata import KINDS
from indexer.ingest.partners import KINDS as PARTNER_KINDS
from indexer.models import LEVELS
from indexer.query.request import (
    ATLAS_SORTS,
    DEFAULT_PER_PAGE,
    DUPLICATES_PER_PAGE,
    MAX_FILTER_VALUES,
    MAX_PAGE,
    MAX_PER_PAGE,
    MAX_QUERY_CHARS,
    SORTS,
    TIMELINE_PER_PAGE,
)
from indexer.text.cities import CITIES

from .export import CSV_COLUMNS, EXPORT_LIMIT
from .export import FIELDS as EXPORT_FIELDS
from .views import ORIGINAL_TYPES

# Dates are ISO 8601 at the precision the report gives: 2022-11-03, 2022-08 or 2022.
ISO_PRECISION = r"^\d{4}(-\d{2}(-\d{2})?)?$"
SUGGESTION_KINDS = ("spelling", "drop_filter")
FACETS = ("city", "year", "kind", "level", "agency", "country", "partner")


def _ref(kind: str, name: str) -> dict:
    return {"$ref": f"#/components/{kind}/{name}"}


def _object(required: bool = True, **properties: dict) -> dict:
    """A JSON object with exactly these keys, all present unless `required` is False."""
    schema = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        schema["required"] = list(properties)
    return schema


def _nullable(schema: dict) -> dict:
    """`schema`, or null (the 3.1 spelling: a list of types)."""
    return {**schema, "type": [schema["type"], "null"]}


STRING = {"type": "string"}
COUNT = {"type": "integer", "minimum": 0}
DATE = {"type": "string", "pattern": ISO_PRECISION}


def _schemas() -> dict:
    hit = _object(
        doc_id=STRING,
        passage_id=STRING,
        title=STRING,
        city=_nullable({"type": "string", "enum": list(CITIES)}),
        level=_nullable({"type": "string", "enum": ["中央", "地方"],
                         "description": "Who wrote the report: 中央, a central-government body (then `city` is "
                                        "null); 地方, a city's or county's; null when the text does not say."}),
        date=_nullable(DATE),
        heading={"type": "string", "description": "Heading path, joined by ' › '."},
        text={"type": "string", "description": "The passage's full plain text."},
        snippet={"type": "string", "description": "Escaped HTML whose only tags are <mark>…</mark>: "
                 "`snippet_text` with `snippet_marks` marked."},
        snippet_text={"type": "string", "description": "A window of the passage's text around the first match "
                      "(line breaks flattened, … where it was cut)."},
        snippet_marks={"type": "array", "description": "[start, end) character offsets into `snippet_text` "
                       "where the query matched.",
                       "items": {"type": "array", "items": {"type": "integer", "minimum": 0},
                                 "minItems": 2, "maxItems": 2}},
        url={"type": "string", "pattern": "^/reports/[^/#]+#[^/#]+$",
             "description": "/reports/<doc_id>#<passage_id>, percent-encoded."},
        score={"type": "number"},
        missing={"type": "array", "items": STRING,
                 "description": "For a hit in `partial`: the query's top-level terms this passage lacks, as "
                                "typed (e.g. [\"半導體\"] for 熊本 半導體), in its text and its heading path. Empty "
                                "for a hit in `hits`, which has them all."},
        in_heading={"type": "array", "items": STRING,
                    "description": "For a hit in `partial`: the query's top-level terms its text lacks and its "
                                   "heading path holds (a paragraph of a section headed 九、南日本乳業協同株式会社 "
                                   "for 株式会社). Empty for a hit in `hits`."},
        copy_count={**COUNT, "description": "In how many reports other copies of this passage stand (its own "
                                            "report included when the passage repeats there): 亦見於 N 份報告."},
        copies={"type": "array", "maxItems": 20, "items": _ref("schemas", "CopyRef"),
                "description": "The other copies, earliest report first (the first 20)."},
        folded={**COUNT, "description": "With copies=fold: how many copies of it on this page it stands for."},
    )
    facet_value = _object(
        value=STRING,
        count=COUNT,
        selected={"type": "boolean"},
        toggle_url={"type": "string", "pattern": r"^\?",
                    "description": "Query string of the search page with this value toggled."},
    )
    suggestion = _object(
        kind={"type": "string", "enum": list(SUGGESTION_KINDS)},
        text=STRING,
        url={"type": "string", "description": "Query string of the search page with the change made."},
        total=COUNT,
    )
    search_result = _object(
        query={"type": "string", "maxLength": MAX_QUERY_CHARS},
        total={**COUNT, "description": "How many passages match the whole query: every top-level term "
                                        "(in any of its spellings or aliases) and none of the excluded ones, "
                                        "under the filters. Pages, facets and the year counts count these only."},
        page={"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        per_page={"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE},
        hits={"type": "array", "maxItems": MAX_PER_PAGE, "items": _ref("schemas", "Hit"),
              "description": "This page of the passages counted in `total`."},
        facets={**_object(**{name: {"type": "array", "items": _ref("schemas", "FacetValue")} for name in FACETS}),
                "description": "Counts of the passages counted in `total`, per value."},
        notices={"type": "array", "items": STRING,
                 "description": "e.g. that malformed query syntax was searched literally."},
        suggestions={"type": "array", "items": _ref("schemas", "Suggestion"),
                     "description": "Other spellings or fewer filters, when nothing was found."},
        complete={"type": "boolean",
                  "description": "False when the search reached its time limit (JIAOLIU_SEARCH_SECONDS): "
                                 "`total` and `hits` are the matches found until then, and a notice says so."},
        partial_total={**COUNT, "description": "How many passages, under the same filters, match only some of "
                                                "the query: some top-level terms in their text or heading path "
                                                "(or, for a long term or phrase, some of its words) but not all. "
                                                "Never part of `total`, pages or facets. 0 when `partial` is not "
                                                "given (not on the last page)."},
        partial={"type": "array", "maxItems": MAX_PER_PAGE, "items": _ref("schemas", "Hit"),
                 "description": "On the last page of `hits` (also when `total` is 0), the best passages that "
                                "match only some of the query, most terms first, at most `per_page`; each "
                                "says in `missing` what it lacks and in `in_heading` what only its heading path "
                                "holds. Empty on earlier pages."},
    )
    report_summary = _object(
        doc_id=STRING,
        title=STRING,
        city=_nullable({"type": "string", "enum": list(CITIES)}),
        level=_nullable({"type": "string", "enum": ["中央", "地方"],
                         "description": "Who wrote the report: 中央, a central-government body (then `city` is "
                                        "null); 地方, a city's or county's; null when the text does not say."}),
        date=_nullable(DATE),
        kind={"type": "string", "enum": list(KINDS)},
    )
    report = _object(
        **report_summary["properties"],
        city_evidence={"type": "string", "description": "How the city was decided."},
        agency=_nullable(STRING),
        date_inferred={"type": "boolean",
                       "description": "True when the text states no report date and `date` is inferred."},
        date_evidence=STRING,
        period=_object(start=_nullable(DATE), end=_nullable(DATE)),
        countries={"type": "array", "items": STRING},
        source=_nullable(STRING),
        original_url={"type": "string", "pattern": "^/reports/[^/#]+/original$",
                      "description": "/reports/<doc_id>/original: the report's file as it was indexed."},
        passages={"type": "array", "items": _object(passage_id=STRING, heading=STRING, text=STRING)},
    )
    agreement = _object(
        city=STRING, partner=STRING,
        kind={"type": "string", "enum": sorted(set(AGREEMENT_KINDS.values()))},
        state={"type": "string", "enum": list(AGREEMENT_STATES),
               "description": "signed, renewed, an anniversary, or still under negotiation."},
        state_label=STRING,
        date=_nullable(DATE),
        sentence={"type": "string", "description": "The sentence that states it, as written."},
        doc_id=STRING, passage_id=STRING,
        also={**COUNT, "description": "How many more passages state the same agreement."},
    )
    partner = _object(
        name={"type": "string", "description": "The partner's one name (八代 / 八代市役所 / 八代港 → 八代市)."},
        country=STRING,
        kind={"type": "string", "enum": list(PARTNER_KINDS)},
        cities={"type": "array", "items": _object(city=STRING, passages=COUNT),
                "description": "The Taiwanese cities whose reports deal with it, most passages first."},
        passages=COUNT, reports=COUNT,
        first_year=_nullable({"type": "string", "pattern": r"^\d{4}$"}),
        last_year=_nullable({"type": "string", "pattern": r"^\d{4}$"}),
        agreements={"type": "array", "items": _ref("schemas", "Agreement")},
    )
    partner_list = _object(
        total=COUNT,
        sort={"type": "string", "enum": list(ATLAS_SORTS)},
        country=_nullable(STRING),
        partners={"type": "array", "items": _ref("schemas", "Partner")},
        countries={"type": "array", "items": _object(country=STRING, partners=COUNT)},
        matrix=_object(cities={"type": "array", "items": STRING}, partners={"type": "array", "items": STRING},
                       countries={"type": "array", "items": STRING},
                       counts={"type": "array", "items": {"type": "array", "items": COUNT}},
                       agreed={"type": "array", "items": {"type": "array", "items": {"type": "boolean"}}}),
    )
    timeline_entry = _object(
        doc_id=STRING, passage_id=STRING, title=STRING, city=STRING, date=_nullable(DATE), heading=STRING,
        text={"type": "string", "description": "The passage's text around the partner's name."},
        marks={"type": "array", "items": {"type": "array", "items": COUNT, "minItems": 2, "maxItems": 2}},
        written={"type": "string", "description": "The partner's name as this passage writes it."},
        url={"type": "string", "description": "The passage in its report, the name highlighted."},
    )
    partner_detail = _object(
        partner=_ref("schemas", "Partner"),
        page={"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        per_page={"type": "integer", "const": TIMELINE_PER_PAGE},
        total=COUNT,
        timeline={"type": "array", "maxItems": TIMELINE_PER_PAGE, "items": _ref("schemas", "TimelineEntry"),
                  "description": "This page of the passages about the partner, newest report first."},
    )
    copy_ref = _object(doc_id=STRING, passage_id=STRING, title=STRING,
                       city=_nullable({"type": "string", "enum": list(CITIES)}), date=_nullable(DATE))
    duplicates = _object(
        total={**COUNT, "description": "How many clusters of copies the index holds."},
        page={"type": "integer", "minimum": 1, "maximum": MAX_PAGE},
        per_page={"type": "integer", "const": DUPLICATES_PER_PAGE},
        clusters={"type": "array", "maxItems": DUPLICATES_PER_PAGE, "items": _object(
            size={**COUNT, "description": "How many passages the cluster holds (2 or more)."},
            reports={**COUNT, "description": "In how many reports they stand."},
            earliest={**_ref("schemas", "CopyRef"), "description": "The passage of the earliest report."},
            members={"type": "array", "items": _ref("schemas", "CopyRef"), "description": "Earliest first."},
        ), "description": "Most copies first."},
    )
    return {
        "CopyRef": copy_ref,
        "Duplicates": duplicates,
        "Agreement": agreement,
        "Partner": partner,
        "PartnerList": partner_list,
        "TimelineEntry": timeline_entry,
        "PartnerDetail": partner_detail,
        "SearchResult": search_result,
        "Hit": hit,
        "FacetValue": facet_value,
        "Suggestion": suggestion,
        "ReportList": _object(reports={"type": "array", "items": _ref("schemas", "ReportSummary")}),
        "ReportSummary": report_summary,
        "Report": report,
        "Error": _object(error={"type": "string", "description": "What is wrong and how to fix it."}),
    }


def _query(name: str, schema: dict, description: str) -> dict:
    # Every parameter is optional and an empty value means "not given",
    # which is what allowEmptyValue says.
    return {"name": name, "in": "query", "required": False, "allowEmptyValue": True,
            "schema": schema, "description": description}


def _many(name: str, item: dict, description: str) -> dict:
    """A filter, which may be given several times (`city=臺中市&city=高雄市`): any of its
    values passes. Described as one string per occurrence: schema checkers generate a
    lone number as an "invalid array" of an exploded array parameter, which a query
    string cannot tell from a string."""
    return _query(name, item, description + f" May be given up to {MAX_FILTER_VALUES} times: a passage passes "
                  "with any of the values (OR), and must pass every filter given (AND).")


def _parameters() -> dict:
    date_forms = "2022-09-02, 2022-09, 2022, 2022/9/2, 111/9/2, 111-09-02, 111.9.2, 111年9月2日, 民國111年9月"
    return {
        "q": _query("q", {"type": "string", "maxLength": MAX_QUERY_CHARS},
                    "Words or phrases to find (runs of white space count as one)."),
        "city": _many("city", {"type": "string", "enum": list(CITIES)},
                      "A Taiwanese city or county; 台/臺 and short forms (台中, 北市) are accepted too. "
                      "Any other name is a 400."),
        "from": _query("from", {"type": "string", "format": "date"},
                       f"Earliest date, inclusive. Also accepted: {date_forms}. Must not be after `to`."),
        "to": _query("to", {"type": "string", "format": "date"},
                     f"Latest date, inclusive. Also accepted: {date_forms}."),
        "kind": _many("kind", {"type": "string", "enum": list(KINDS)}, "Report kind."),
        "level": _many("level", {"type": "string", "enum": list(LEVELS)},
                       "Who wrote the report: 中央 (a central-government body) or 地方 (a city's or county's)."),
        "agency": _many("agency", {"type": "string", "maxLength": MAX_QUERY_CHARS},
                        "An agency, matched exactly (an unknown one finds nothing)."),
        "country": _many("country", {"type": "string", "maxLength": MAX_QUERY_CHARS},
                         "A destination country, matched exactly (e.g. 日本)."),
        "partner": _many("partner", {"type": "string", "maxLength": MAX_QUERY_CHARS},
                         "A foreign partner a passage is about, by its name in /api/partners, matched "
                         "exactly (e.g. 八代市)."),
        "sort": _query("sort", {"type": "string", "enum": list(SORTS), "default": SORTS[0]}, "Order of hits."),
        "page": _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                       "Page number, from 1."),
        "per_page": _query("per_page", {"type": "integer", "minimum": 1, "maximum": MAX_PER_PAGE,
                                        "default": DEFAULT_PER_PAGE}, "Hits per page."),
        "passage_id": {"name": "passage_id", "in": "path", "required": True, "schema": STRING,
                       "description": "A passage id from /api/reports/{doc_id}."},
        "duplicates_page": _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                                  f"Page of the clusters, {DUPLICATES_PER_PAGE} a page."),
        "copies": _query("copies", {"type": "string", "enum": ["fold", "show"], "default": "show"},
                         "fold: a passage that is a copy of one ranked higher (on this page or an earlier one) "
                         "is left out, and the hit it copies counts it in `folded`; show: every passage."),
        "partner_name": {"name": "name", "in": "path", "required": True, "schema": STRING,
                         "description": "A partner's name from /api/partners (e.g. 八代市)."},
        "atlas_sort": _query("sort", {"type": "string", "enum": list(ATLAS_SORTS), "default": ATLAS_SORTS[0]},
                             "Order of the partners: most passages, name, country, most cities, latest year."),
        "atlas_country": _query("country", {"type": "string", "maxLength": MAX_QUERY_CHARS},
                                "Only the partners in this country (e.g. 日本)."),
        "timeline_page": _query("page", {"type": "integer", "minimum": 1, "maximum": MAX_PAGE, "default": 1},
                                f"Page of the timeline, {TIMELINE_PER_PAGE} passages a page."),
        "doc_id": {"name": "doc_id", "in": "path", "required": True, "schema": STRING,
                   "description": "A report id from /api/reports."},
        "highlight": {"name": "q", "in": "query", "required": False, "schema": STRING,
                      "description": "Terms to highlight in the report (cut to "
                                     f"{MAX_QUERY_CHARS} characters, never refused)."},
    }


FILTERS = ("q", "city", "from", "to", "kind", "level", "agency", "country", "partner", "sort", "copies")
SEARCH = (*FILTERS, "page", "per_page")


def _json(schema_name: str, description: str) -> dict:
    return {"description": description,
            "content": {"application/json": {"schema": _ref("schemas", schema_name)}}}


def _html(description: str) -> dict:
    return {"description": description, "content": {"text/html": {"schema": STRING}}}


def _responses() -> dict:
    return {
        "BadRequest": _json("Error", "A parameter cannot be used; the message says how to fix it."),
        "NotFound": _json("Error", "No report with that id, or no partner of that name."),
        "NoIndex": _json("Error", "No index has been built yet, or it is damaged (run `jiaoliu index`)."),
        "HtmlBadRequest": _html("The search page, with the problem explained next to the form."),
        "HtmlNotFound": _html("An error page."),
        "HtmlNoIndex": _html("An error page saying the index is not built yet."),
    }


def _get(summary: str, parameters: tuple[str, ...], responses: dict, description: str = "") -> dict:
    operation = {"summary": summary,
                 "parameters": [_ref("parameters", name) for name in parameters],
                 "responses": responses}
    if description:
        operation["description"] = description
    return {"get": operation}


def _paths() -> dict:
    api_errors = {"400": _ref("responses", "BadRequest"), "503": _ref("responses", "NoIndex")}
    export_headers = {
        "X-Total-Count": {"required": True, "description": "How many passages the search finds (the rows "
                          f"are the first {EXPORT_LIMIT} of them at most).", "schema": {"type": "string",
                                                                                       "pattern": "^[0-9]+$"}},
        "X-Export-Limit": {"required": True, "description": "The most rows an export holds.",
                           "schema": {"type": "string", "pattern": "^[0-9]+$"}},
    }

    def disposition(suffix: str) -> dict:
        return {"required": True,
                "description": f"attachment; filename=\"jiaoliu-<query>{suffix}\" and its RFC 5987 filename*.",
                "schema": {"type": "string",
                           "pattern": rf"^attachment; filename=\"[^\"]+\{suffix}\"; filename\*=UTF-8''"}}

    csv_response = {
        "description": "One row per hit, in the search's order, after a header row; UTF-8 with a "
                       "byte-order mark. Cells that a spreadsheet would run as a formula start with '.",
        "headers": {"Content-Disposition": disposition(".csv"), **export_headers},
        "content": {"text/csv": {"schema": STRING}},
    }
    ndjson_response = {
        "description": "One JSON object a line per hit, in the search's order, with the keys "
                       + ", ".join(key for _column, key in EXPORT_FIELDS) + " (the CSV's columns).",
        "headers": {"Content-Disposition": disposition(".ndjson"), **export_headers},
        "content": {"application/x-ndjson": {"schema": STRING}},
    }
    return {
        "/": _get("The search page", SEARCH, {
            "200": _html("Results with facets, or the collection when nothing is asked."),
            "400": _ref("responses", "HtmlBadRequest"),
            "503": _ref("responses", "HtmlNoIndex"),
        }),
        "/reports/{doc_id}": _get("A report, rendered", ("doc_id", "highlight"), {
            "200": _html("The report; each passage is an element whose id is its passage_id."),
            "404": _ref("responses", "HtmlNotFound"),
            "503": _ref("responses", "HtmlNoIndex"),
        }),
        "/reports/{doc_id}/original": _get("A report's original file", ("doc_id",), {
            "200": {"description": "The file exactly as it was indexed (PDF, DOCX, ODT, DOC, HTML or "
                                   "text), as an attachment under its own file name.",
                    "headers": {"Content-Disposition": {
                        "required": True, "description": "attachment; filename=… (and filename*= for "
                                                         "names that are not ASCII).",
                        "schema": {"type": "string", "pattern": "^attachment; "}}},
                    "content": {mimetype: {"schema": {"type": "string", "format": "binary"}}
                                for mimetype in dict.fromkeys(ORIGINAL_TYPES.values())}},
            "404": _ref("responses", "HtmlNotFound"),
            "503": _ref("responses", "HtmlNoIndex"),
        }),
        "/api/search": _get("Search passages", SEARCH, {
            "200": _json("SearchResult", "One page of the passages matching the whole query, with facets; "
                                         "on the last page, also the best partial matches (`partial`)."),
            **api_errors,
        }),
        "/api/search.csv": _get(
            "The result list as CSV", FILTERS, {"200": csv_response, **api_errors},
            description=f"Every passage the search finds, in its order, at most {EXPORT_LIMIT} rows, streamed "
                        "(page and per_page are ignored); only passages matching the whole query, never the "
                        f"partial matches. Columns: {', '.join(CSV_COLUMNS)} (title, date, whether the date is "
                        "inferred, city, agency, kind, heading, the passage's text, its link — absolute when "
                        "JIAOLIU_PUBLIC_URL is set —, the query, ids).",
        ),
        "/api/search.ndjson": _get(
            "The result list as NDJSON", FILTERS, {"200": ndjson_response, **api_errors},
            description=f"The rows of /api/search.csv as newline-delimited JSON, at most {EXPORT_LIMIT}, streamed.",
        ),
        "/api/reports": _get("Every report, newest first", (), {
            "200": _json("ReportList", "The reports."), "503": _ref("responses", "NoIndex"),
        }),
        "/api/reports/{doc_id}": _get("One report: metadata and passages", ("doc_id",), {
            "200": _json("Report", "The report."),
            "404": _ref("responses", "NotFound"),
            "503": _ref("responses", "NoIndex"),
        }),
        "/partners": _get("Every partner: a table and a city × partner matrix", ("atlas_sort", "atlas_country"), {
            "200": _html("The partners, their countries, cities, passages, years and agreements."),
            "400": _ref("responses", "HtmlBadRequest"),
            "503": _ref("responses", "HtmlNoIndex"),
        }),
        "/partners/{name}": _get("One partner: agreements and timeline", ("partner_name", "timeline_page"), {
            "200": _html("The partner's agreements, then its passages newest first, each linked to its place."),
            "400": _ref("responses", "HtmlBadRequest"),
            "404": _ref("responses", "HtmlNotFound"),
            "503": _ref("responses", "HtmlNoIndex"),
        }),
        "/api/partners": _get("Every partner", ("atlas_sort", "atlas_country"), {
            "200": _json("PartnerList", "The partners, the countries, and the city × partner matrix."),
            **api_errors,
        }),
        "/api/partners/{name}": _get("One partner and a page of its timeline", ("partner_name", "timeline_page"), {
            "200": _json("PartnerDetail", "The partner and its passages, newest report first."),
            "404": _ref("responses", "NotFound"),
            **api_errors,
        }),
        "/reports/{doc_id}/copies/{passage_id}": _get(
            "A passage and its copies, their differences marked", ("doc_id", "passage_id"), {
                "200": _html("The passage, then each copy of it with the characters that differ marked."),
                "404": _ref("responses", "HtmlNotFound"),
                "503": _ref("responses", "HtmlNoIndex"),
            }),
        "/api/duplicates": _get("Clusters of copied passages", ("duplicates_page",), {
            "200": _json("Duplicates", "A page of clusters, most copies first, each with its earliest report."),
            **api_errors,
        }),
        "/api/openapi.json": _get("This description", (), {
            "200": {"description": "OpenAPI 3.1", "content": {"application/json": {"schema": {"type": "object"}}}},
        }),
    }


def openapi_description() -> dict:
    """The OpenAPI 3.1 document for the whole app (pages and API)."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "交流 jiaoliu",
            "version": "1",
            "description": "Full-text search over Taiwanese city governments' reports. "
                           "Pages are zh-Hant-TW HTML; /api gives the same results as JSON.",
        },
        "paths": _paths(),
        "components": {"schemas": _schemas(), "parameters": _parameters(), "responses": _responses()},
    }
