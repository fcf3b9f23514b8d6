"""Front matter from a careless or hostile corpus: every bad value refused with its reason."""

from __future__ import annotations

import datetime

import pytest

from indexer.errors import UnreadableReport
from indexer.ingest.front_matter import MAX_CHARS, front_matter_values, split_front_matter
from indexer.models import Period

LAUGHS = "a: &a [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{', '.join(['*' + chr(97 + i)] * 10)}]\n" for i in range(8))


def _front(yaml_text: str) -> str:
    return f"---\n{yaml_text}\n---\n本文。\n"


@pytest.mark.parametrize("yaml_text,reason", [
    ("title: &a [*a]", "anchors and aliases"),  # RecursionError before
    ("title: &t 標題", "anchors and aliases"),
    ("countries: *missing", "anchors and aliases"),
    ("countries: " + LAUGHS.replace("\n", " ").join("{}"), "anchors and aliases"),  # billion laughs
    ("period: {start: [[[2023]]]}", "nested more than"),
    ("title: " + "[" * 5000 + "]" * 5000, "nested more than"),  # RecursionError otherwise
    ("date: !!float soon", "not valid YAML"),  # ValueError inside YAML
    ("date: !!int 12x", "not valid YAML"),
    ("title: [unclosed", "not valid YAML"),
    ("- title", "a mapping"),
    ("mayor: 某人\n1: 2", "unknown front matter keys"),
    ("title: 標題\ntitle: 又一個", None),  # YAML keeps the last; not an error
])
def test_front_matter_yaml_that_is_refused(yaml_text, reason):
    if reason is None:
        assert split_front_matter(_front(yaml_text), "a.md")[0] == {"title": "又一個"}
        return
    with pytest.raises(UnreadableReport, match=reason) as raised:
        split_front_matter(_front(yaml_text), "a.md")
    assert str(raised.value).startswith("a.md: ") and "\n" not in str(raised.value)


def test_laughs_are_refused_at_the_first_anchor():
    with pytest.raises(UnreadableReport, match=r"anchors and aliases .* \(line 2\)"):
        split_front_matter(_front(LAUGHS), "a.md")


def test_front_matter_longer_than_the_limit_is_refused():
    long = "title: " + "長" * MAX_CHARS
    with pytest.raises(UnreadableReport, match="longer than 64 KB"):
        split_front_matter(_front(long), "a.md")


@pytest.mark.parametrize("yaml_text,expected", [
    ("date: 2023-13-45", {"date": "2023-13-45"}),  # text, checked by indexer.text.dates, not YAML
    ("date: !!timestamp 2023-13-45", {"date": "2023-13-45"}),
    ("date: 2022-11-03", {"date": "2022-11-03"}),
    ("date: 2022", {"date": 2022}),
    ("period: {start: 2023-04-10, end: 2023-04-15}", {"period": {"start": "2023-04-10", "end": "2023-04-15"}}),
])
def test_dates_stay_text_for_the_project_to_check(yaml_text, expected):
    assert split_front_matter(_front(yaml_text), "a.md") == (expected, "本文。\n")


@pytest.mark.parametrize("front,reason", [
    ({"date": "2023-13-45"}, "date: 「2023-13-45」不是存在的日期"),
    ({"date": "someday"}, "無法辨識的日期"),
    ({"date": "1900"}, "before 民國1年"),
    ({"date": 1911}, "before 民國1年"),
    ({"date": ["2023"]}, "date must be text"),
    ({"title": {"a": 1}}, "title must be text, not a mapping"),
    ({"title": ["標題"]}, "title must be text, not a list"),
    ({"title": True}, "title must be text, not true/false"),
    ({"title": "第一行\n第二行"}, "one line"),
    ({"agency": "機關\x1b[31m"}, "control characters"),
    ({"kind": "memo"}, "kind 'memo' is not one of"),
    ({"kind": ["出國報告"]}, "kind must be text"),
    ({"city": "東京"}, "unknown city"),
    ({"city": {"臺北市": 1}}, "city must be text"),
    ({"period": {"start": "2023-06-05", "end": "2023-06-01"}}, "starts (2023-06-05) after it ends"),
    ({"period": "113年5月18日至5月15日"}, None),  # a reversed written range is read as one day, not refused
    ({"period": {"start": "1800"}}, "before 民國1年"),
    ({"period": {"start": "2022-13"}}, "不是存在的日期"),
    ({"period": {"begin": "2022"}}, "it takes start and end"),
    ({"period": ["2022", "2023"]}, "period must be text"),
    ({"period": "lately"}, "unreadable period"),
    ({"countries": 5}, "countries must be a list of names"),
    ({"countries": [5]}, "countries must be a list of names"),
    ({"countries": [["日本"]]}, "countries must be a list of names"),
    ({"countries": {"日本": 1}}, "countries must be a list of names"),
    ({"source": "javascript:alert(1)"}, "source must be an http"),
    ({"source": "ftp://example.org/a.pdf"}, "source must be an http"),
    ({"source": "https://"}, "source must be an http"),
    ({"source": "https://example.org/a b.pdf"}, "source must be an http"),
    ({"source": "data:text/html,<script>alert(1)</script>"}, "source must be an http"),
    ({"source": "//evil.example/a.pdf"}, "source must be an http"),
    ({"source": ["https://example.org"]}, "source must be text"),
])
def test_front_matter_values_that_are_refused(front, reason):
    if reason is None:
        assert front_matter_values(front)["period"] == Period("2024-05-18", "2024-05-18")
        return
    with pytest.raises(UnreadableReport, match="front matter: ") as raised:
        front_matter_values(front)
    assert reason in str(raised.value)


@pytest.mark.parametrize("front,expected", [
    ({"date": 2022}, {"date": "2022"}),
    ({"date": "1912"}, {"date": "1912"}),
    ({"date": "112/6/30"}, {"date": "2023-06-30"}),
    ({"date": datetime.date(2024, 5, 18)}, {"date": "2024-05-18"}),
    ({"title": 2024, "kind": "other"}, {"title": "2024", "kind": "other"}),
    ({"title": "", "city": None}, {}),  # empty values count as absent
    ({"city": "台中"}, {"city": "臺中市", "city_evidence": "front matter"}),
    ({"period": {"start": "2023-06"}}, {"period": Period("2023-06", None)}),
    ({"period": {"start": "2023", "end": "2023-06"}}, {"period": Period("2023", "2023-06")}),
    ({"period": "111年9月2日至9月7日"}, {"period": Period("2022-09-02", "2022-09-07")}),
    ({"countries": "日本、韓國"}, {"countries": ("日本", "韓國")}),
    ({"countries": ["日本"]}, {"countries": ("日本",)}),
    ({"source": "HTTPS://example.org/a.pdf"}, {"source": "HTTPS://example.org/a.pdf"}),
    ({"source": "公務出國報告資訊網"}, {"source": "公務出國報告資訊網"}),  # words: shown as text
])
def test_front_matter_values_that_are_accepted(front, expected):
    values = front_matter_values(front)
    values.pop("date_inferred", None)
    values.pop("date_evidence", None)
    assert values == expected
