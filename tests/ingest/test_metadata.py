from datetime import date
from pathlib import Path

import pytest

from indexer.errors import UnreadableReport
from indexer.ingest.metadata import extract_metadata
from indexer.models import Period

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def corpus_metadata(name):
    return extract_metadata((CORPUS / f"{name}.txt").read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    "name,expected,title_has",
    [
        (
            "keelung-2022-yatsushiro-visit",
            dict(city="基隆市", agency="基隆市政府", kind="出國報告", date="2022-11-03",
                 date_inferred=False, period=Period("2022-09-02", "2022-09-07"), countries=("日本",)),
            ["基隆市政府", "八代市友好城市"],
        ),
        (
            "taichung-2025-kyushu-startup-exchange",
            dict(city="臺中市", agency="臺中市政府經濟發展局", kind="出國報告", date="2025-11-04",
                 date_inferred=False, period=Period("2025-08-31", "2025-09-06"), countries=("日本",)),
            # the cover splits the title over two lines after 福岡、
            ["赴日本福岡、熊本及宮崎考察交流出國報告"],
        ),
        (
            "kaohsiung-2022-pandemic-city-diplomacy",
            dict(city="高雄市", agency="高雄市政府行政暨國際處", kind="統計分析報告", date="2022-08",
                 date_inferred=False, period=Period("2020", "2021")),
            ["統計分析報告", "疫情期間國際事務之推行"],
        ),
        (
            # A 施政報告 chapter states no date: it takes the end of the half-year it covers.
            "kaohsiung-2014-h2-international-affairs",
            dict(city="高雄市", agency="高雄市政府", kind="施政報告", date="2014-12",
                 date_inferred=True, period=Period("2014-07", "2014-12")),
            ["施政報告", "國際事務", "103年7月至12月"],
        ),
        (
            # Starts mid-document: city from 蔣萬安市長 / 臺北市政府, dates from the itinerary.
            "taipei-2024-sushi-tech-tokyo",
            dict(city="臺北市", agency="臺北市政府", kind="出國報告", date="2024-05-18",
                 date_inferred=True, period=Period("2024-05-15", "2024-05-18"), countries=("日本",)),
            ["Tokyo 2024", "市長"],
        ),
    ],
)
def test_corpus_reports(name, expected, title_has):
    meta = corpus_metadata(name)
    assert {key: getattr(meta, key) for key in expected} == expected
    assert all(part in meta.title for part in title_has), meta.title
    assert 8 <= len(meta.title) <= 80 and "\n" not in meta.title
    assert meta.city_evidence and meta.date_evidence
    assert meta.source is None


@pytest.mark.parametrize(
    "name,evidence_has",
    [
        ("keelung-2022-yatsushiro-visit", ["服務機關：基隆市政府"]),
        ("kaohsiung-2022-pandemic-city-diplomacy", ["撰寫機關"]),
        ("kaohsiung-2014-h2-international-affairs", ["陳菊", "訪高"]),
        ("taipei-2024-sushi-tech-tokyo", ["蔣萬安", "臺北市政府"]),
    ],
)
def test_city_evidence_says_how(name, evidence_has):
    evidence = corpus_metadata(name).city_evidence
    assert all(part in evidence for part in evidence_has), evidence


def test_partners_of_a_policy_report_are_its_countries():
    countries = corpus_metadata("kaohsiung-2014-h2-international-affairs").countries
    assert {"日本", "韓國", "美國"} <= set(countries)
    assert countries[0] == "日本"  # the most mentioned first


TAICHUNG_HEADER = """公務出國報告(出國類別：考察)

赴韓國首爾考察智慧城市出國報告

服務機關：台中市政府經濟發展局
派赴國家：韓國
出國期間：113 年 3 月 4 日至 3 月 8 日
報告日期：113 年 5 月 1 日

拜會台北駐韓國代表部後，前往首爾市政府，本次亦與臺北市政府代表交流。
"""


@pytest.mark.parametrize(
    "body,expected",
    [
        (   # 台 folds to 臺, and the header wins over the other cities the text names
            TAICHUNG_HEADER,
            dict(city="臺中市", city_evidence="服務機關：台中市政府經濟發展局", kind="出國報告",
                 date="2024-05-01", date_inferred=False, period=Period("2024-03-04", "2024-03-08"),
                 countries=("韓國",), title="赴韓國首爾考察智慧城市出國報告"),
        ),
        (   # no city anywhere
            "外交部出國報告\n\n服務機關：外交部\n報告日期：112年1月5日\n\n赴美國洽公。\n",
            dict(city=None, city_evidence="", agency="外交部", date="2023-01-05"),
        ),
        (   # no dates anywhere
            "城市交流心得\n\n本次交流獲益良多。\n",
            dict(date=None, date_inferred=False, date_evidence="", period=Period(), kind="other"),
        ),
        (   # a mayor's full name is strong evidence on its own
            "會後由市長黃偉哲致詞，歡迎訪團。\n",
            dict(city="臺南市", agency="臺南市政府"),
        ),
        (   # 訪高 names the city being visited: the author's own
            "韓國釜山市訪問團訪高，與本市交流。另赴臺北參加論壇。\n",
            dict(city="高雄市"),
        ),
        (   # equally strong evidence for two cities decides nothing
            "臺北市政府與新北市政府共同主辦。\n",
            dict(city=None),
        ),
        (   # a cover date on its own line
            "臺南市政府 112 年統計分析報告\n\n撰寫機關：臺南市政府研考會\n\n中華民國 112 年 6 月\n",
            dict(city="臺南市", kind="統計分析報告", date="2023-06", date_inferred=False),
        ),
    ],
)
def test_synthetic_reports(body, expected):
    meta = extract_metadata(body)
    assert {key: getattr(meta, key) for key in expected} == expected


def test_front_matter_overrides_what_the_text_says():
    front = {
        "title": "自訂標題", "city": "台南", "agency": "臺南市政府觀光旅遊局", "kind": "other",
        "date": "112/6/30", "period": {"start": date(2023, 6, 1), "end": "2023-06-05"},
        "countries": "美國、加拿大", "source": "https://example.org/report.pdf",
    }
    meta = extract_metadata(TAICHUNG_HEADER, front)
    assert meta.to_dict() == {
        "title": "自訂標題", "city": "臺南市", "city_evidence": "front matter",
        "agency": "臺南市政府觀光旅遊局", "kind": "other", "date": "2023-06-30",
        "date_inferred": False, "date_evidence": "front matter",
        "period": {"start": "2023-06-01", "end": "2023-06-05"},
        "countries": ["美國", "加拿大"], "source": "https://example.org/report.pdf",
    }


def test_front_matter_fills_what_the_text_lacks():
    meta = extract_metadata("城市交流心得\n", {"date": date(2024, 5, 18), "period": "113年5月15日至18日",
                                              "countries": ["日本"]})
    assert (meta.date, meta.date_inferred, meta.period, meta.countries) == (
        "2024-05-18", False, Period("2024-05-15", "2024-05-18"), ("日本",))
    assert meta.city is None  # keys it does not give stay extracted


@pytest.mark.parametrize(
    "front", [{"city": "東京"}, {"kind": "memo"}, {"date": "someday"}, {"period": "lately"}, {"period": {"start": "2022-13"}}]
)
def test_unreadable_front_matter_is_reported(front):
    with pytest.raises(UnreadableReport, match="front matter"):
        extract_metadata("城市交流心得\n", front)


NEXT_YEAR = date.today().year + 1


@pytest.mark.parametrize(
    "body,expected",
    [
        (   # a history's year is not the report's date: the latest date of report time is
            "八代市沿革\n\n八代港於1850年開港，1895年後發展。本府於112年5月3日參訪。\n",
            dict(date="2023-05-03", date_inferred=True),
        ),
        (   # only history: no date at all rather than 民國-61年
            "八代市沿革\n\n八代港於1850年開港，1895年後發展。\n",
            dict(date=None, date_inferred=False, date_evidence=""),
        ),
        (   # a stated date before 1912 (a typo) gives way to the next evidence
            "服務機關：基隆市政府\n報告日期：0999年5月1日\n出國期間：112年9月2日至9月7日\n",
            dict(date="2023-09-07", date_inferred=True, period=Period("2023-09-02", "2023-09-07")),
        ),
        (   # a cover date line before 1912
            "臺南市政府統計分析報告\n\n撰寫機關：臺南市政府\n\n1900 年 6 月\n\n本年 112 年 3 月統計。\n",
            dict(date="2023-03", date_inferred=True),
        ),
        (   # a date after next year (a plan's target) is not when the report was written
            f"報告日期：{NEXT_YEAR + 1 - 1911}年1月1日\n\n本計畫於111年8月開始。\n",
            dict(date="2022-08", date_inferred=True),
        ),
        (   # next year is still a report's time (a report dated ahead)
            f"報告日期：{NEXT_YEAR - 1911}年1月1日\n",
            dict(date=f"{NEXT_YEAR}-01-01", date_inferred=False),
        ),
        (   # a period of history at the top is not the report's period
            "1850年至1860年間的八代港\n\n本府於112年5月3日參訪。\n",
            dict(period=Period(), date="2023-05-03"),
        ),
        (   # a period ahead (a mid-term plan) is kept, but its end is not the report's date
            f"本府{NEXT_YEAR - 1911}年至{NEXT_YEAR + 4 - 1911}年中程計畫\n\n112年12月核定。\n",
            dict(period=Period(str(NEXT_YEAR), str(NEXT_YEAR + 4)), date="2023-12"),
        ),
    ],
    ids=["history-and-report-time", "history-only", "stated-0999", "cover-1900", "stated-after-next-year",
         "stated-next-year", "period-1850", "period-ahead"],
)
def test_dates_a_report_cannot_have_been_written_on_are_passed_over(body, expected):
    meta = extract_metadata(body)
    assert {key: getattr(meta, key) for key in expected} == expected
