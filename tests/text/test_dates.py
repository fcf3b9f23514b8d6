from datetime import date

import pytest

from indexer.errors import BadRequest
from indexer.text.dates import chinese_number, find_dates, parse_date, parse_range, parse_user_date, span


@pytest.mark.parametrize(
    "text,expected",
    [
        ("報告日期：111年11月3日", "2022-11-03"),
        ("報告日期：114 年 11 月 4 日", "2025-11-04"),
        ("111.09.02\t五\t桃園→日本福岡", "2022-09-02"),
        ("中華民國 111 年 8 月", "2022-08"),
        ("民國99年5月", "2010-05"),
        ("2024年5月15日", "2024-05-15"),
        ("2025.09.09 / 2057 / 工商時報", "2025-09-09"),
        ("2025/09/02", "2025-09-02"),
        ("2018年基隆市與八代市正式締結友好城市", "2018"),
        ("110年\n\n12 月本市與長興材料", "2021-12"),  # a page break inside the date
        ("2 年內（109—110 年）", "2020"),
        ("沒有日期", None),
        ("2022年13月1日", None),
        ("111年2月30日", None),
        ("歷經36年依然", None),  # a duration, not 民國 36 年
        ("規劃期程 10 年", None),
        ("超過 70 年歷史", None),
        ("02-24274830", None),  # a phone number
        ("5月15日", None),  # no year to hang it on
    ],
)
def test_parse_date(text, expected):
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        ("111年9月2日至9月7日", ("2022-09-02", "2022-09-07")),
        ("114 年 8 月 31 日至 9 月 6 日", ("2025-08-31", "2025-09-06")),
        ("103年7月至12月", ("2014-07", "2014-12")),
        ("103年8月1至5日", ("2014-08-01", "2014-08-05")),
        ("109 年至 110 年", ("2020", "2021")),
        ("（109—110 年）", ("2020", "2021")),
        ("111 年 2 月 19-28 日", ("2022-02-19", "2022-02-28")),
        ("111 年 4 月 11 日至 22 日", ("2022-04-11", "2022-04-22")),
        ("110年1月至2月", ("2021-01", "2021-02")),
        ("112年12月30日至1月2日", ("2023-12-30", "2024-01-02")),  # crosses into the next year
        ("111年11月3日", ("2022-11-03", "2022-11-03")),
        ("111年9月7日至9月2日", ("2022-09-07", "2022-09-07")),  # backwards: keep the start
        ("111年9月2日至9月31日", ("2022-09-02", "2022-09-02")),  # no 9月31日
    ],
)
def test_parse_range(text, expected):
    assert parse_range(text) == expected


@pytest.mark.parametrize(
    "text,year,expected",
    [
        ("5月15日", 2024, [("2024-05-15", "2024-05-15", False)]),
        ("9月2日至7日", 2022, [("2022-09-02", "2022-09-07", False)]),
        ("5月15日", None, []),
        ("2024年5月15日", 1999, [("2024-05-15", "2024-05-15", True)]),
        ("至2024年5月", None, [("2024-05", "2024-05", True)]),  # a lone range end is not a date
        ("106、107、108 年 2 月", None, [("2019-02", "2019-02", True)]),
    ],
)
def test_find_dates_year_from_context(text, year, expected):
    assert [(m.start, m.end, m.year_given) for m in find_dates(text, year)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "本府秘書處103年7月至12月業辦理訪賓接待業務",
        "於 2024 年 5 月 15 日抵達",
        "110年\n\n12 月",
        "訪問 2025.09.09 報導",
        "2024年5月-2025年",  # a range whose end does not match its start
    ],
)
def test_mention_text_is_where_it_was_found(text):
    mentions = find_dates(text)
    assert mentions
    for mention in mentions:
        assert text[mention.offset:mention.offset + len(mention.text)] == mention.text
        assert mention.text[0].isdigit() and mention.text[-1] in "年月日0123456789"


@pytest.mark.parametrize(
    "iso,expected",
    [
        ("2022-11-03", (date(2022, 11, 3), date(2022, 11, 3))),
        ("2022-08", (date(2022, 8, 1), date(2022, 8, 31))),
        ("2024-02", (date(2024, 2, 1), date(2024, 2, 29))),
        ("2023-02", (date(2023, 2, 1), date(2023, 2, 28))),
        ("2022", (date(2022, 1, 1), date(2022, 12, 31))),
    ],
)
def test_span(iso, expected):
    assert span(iso) == expected


@pytest.mark.parametrize("iso", ["", "22", "2022-8", "2022/08", "2022-13", "2022-02-30", "111年"])
def test_span_rejects_what_is_not_iso(iso):
    with pytest.raises(ValueError):
        span(iso)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2022-09-02", "2022-09-02"),
        ("2022-09", "2022-09"),
        ("2022", "2022"),
        ("2022/9/2", "2022-09-02"),
        ("2022.9.2", "2022-09-02"),
        ("111-09-02", "2022-09-02"),
        ("111/9/2", "2022-09-02"),
        ("111.9.2", "2022-09-02"),
        ("111/9", "2022-09"),
        ("111", "2022"),
        ("111年9月2日", "2022-09-02"),
        ("111年9月", "2022-09"),
        ("111年", "2022"),
        ("民國111年", "2022"),
        ("民國111年9月", "2022-09"),
        ("中華民國111年9月2日", "2022-09-02"),
        ("2024年5月15日", "2024-05-15"),
        ("１１１/９/２", "2022-09-02"),  # full-width digits
        ("１１１／９／２", "2022-09-02"),  # full-width slashes too
        ("  2022-09-02  ", "2022-09-02"),
        ("111 年 9 月 2 日", "2022-09-02"),
        ("2024-02-29", "2024-02-29"),
    ],
)
def test_parse_user_date(value, expected):
    assert parse_user_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["abc", "", "   ", "2022-13-01", "111/2/30", "2023-02-29", "2022-09-02-01", "2022/09-02",
     "111年13月", "民國", "0/1/1", "0000", "2022-9-2x", "九月二日"],
)
def test_parse_user_date_rejects_with_the_accepted_forms(value):
    with pytest.raises(BadRequest) as excinfo:
        parse_user_date(value)
    message = str(excinfo.value)
    assert "2022-09-02" in message and "111/9/2" in message and "民國111年" in message
    assert "日期" in message  # says it in Chinese as well as English


@pytest.mark.parametrize("text, expected", [
    ("時間：九十二年七月二十五日(星期五)", [("2003-07-25", "2003-07-25")]),
    ("中華民國一○五年二月", [("2016-02", "2016-02")]),
    ("中華 民國一〇五年十二月三十一日", [("2016-12-31", "2016-12-31")]),
    ("一百零五年十一月", [("2016-11", "2016-11")]),
    ("三年內完成，十一月五日開會", []),  # a duration, and a day without its year: words
])
def test_dates_in_chinese_numerals(text, expected):
    assert [(m.start, m.end) for m in find_dates(text)] == expected


@pytest.mark.parametrize("numeral, number", [
    ("一○五", 105), ("九十二", 92), ("十", 10), ("十五", 15), ("二十", 20), ("一百零五", 105), ("一百一十", 110),
    ("七", 7), ("甲", None), ("", None),
])
def test_chinese_number(numeral, number):
    assert chinese_number(numeral) == number


@pytest.mark.parametrize("text, expected", [
    ("派（聘）兼期間自107年11月1日起至109年10月31日止", [("2018-11-01", "2020-10-31")]),
    ("自111年9月2日起至9月7日止", [("2022-09-02", "2022-09-07")]),
])
def test_a_range_written_from_to_with_qi(text, expected):
    assert [(m.start, m.end) for m in find_dates(text)] == expected
