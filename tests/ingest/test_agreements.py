"""Agreements: kind, state, date and partners of each agreement a passage states."""

from __future__ import annotations

import pytest

from indexer.ingest.agreements import find_agreements
from indexer.ingest.partners import partners_in


def found(text: str, year: int | None = None, passage: str = "") -> list[tuple]:
    return [(a.kind, a.state, a.date, a.names) for a in find_agreements(text, partners_in(passage), year)]


@pytest.mark.parametrize("text,expected", [
    # the Keelung report: two agreements in one sentence, 同年 taking the year written before
    ("104年4月25日，八代市長參訪基隆。同年8月，八代港與基隆港正式簽訂為姊妹港，隔年105年1月，八代市首次舉辦物產展，"
     "6月更組團參加本市建港130週年活動，107年4月19日日本八代市與本市正式締結為友好城市，並透過每年雙方互訪、八代物產展等\n\n"
     "活動建立良好友誼。",
     [("姊妹港", "signed", "2015-08", ("八代市",)), ("友好城市", "signed", "2018-04-19", ("八代市",))]),
    ("本市於 111 年 6 月與斯洛伐克布拉提斯拉瓦省簽署夥伴協定。",
     [("夥伴協定", "signed", "2022-06", ("布拉提斯拉瓦省",))]),
    ("臺中市與日本宮崎縣於 2024 年 12 月 12 日正式締結為姊妹市。", [("姊妹市", "signed", "2024-12-12", ("宮崎縣",))]),
    ("2023 年 11 月 1 日台、日兩地日南車站因同名緣分締結姊妹車站。", [("姊妹車站", "signed", "2023-11-01", ("日南市",))]),
    # the state
    ("為紀念高雄市與日本八王子友好城市締盟15周年，本處於110年11月15日辦理贈書儀式。",
     [("友好城市", "anniversary", "2021-11-15", ("八王子市",))]),
    ("有關與巴西里約市締結姊妹市案，經多年之交涉商洽，目前刻正協商。", [("姊妹市", "negotiating", None, ("里約熱內盧市",))]),
    ("本市與韓國釜山市續簽姊妹市協定。", [("姊妹市", "renewed", None, ("釜山市",))]),
    # MOU, 姐 for 姊, full width
    ("2015年，基隆港與日本熊本縣八代港簽訂友好交流確認書(ＭＯＵ)。", [("合作備忘錄", "signed", "2015", ("八代市",))]),
    ("本市與日本京都市締結姐妹市。", [("姊妹市", "signed", None, ("京都市",))]),
    # a date written without its year takes the report's
    ("嗣於 10 月 3 日，雙方與宮崎縣順利簽署合作備忘錄。", [("合作備忘錄", "signed", None, ("宮崎縣",))]),
    # only named, not stated: no agreement
    ("團隊拜會姊妹市宮崎縣。", []), ("本市各地姊妹市及友好城市均已聯繫。", []),
    # no partner to tie it to
    ("雙方簽署合作備忘錄。", []),
])
def test_agreements_stated(text, expected):
    assert found(text) == expected


def test_a_date_without_its_year_takes_the_reports():
    assert found("嗣於 10 月 3 日，雙方與宮崎縣順利簽署合作備忘錄。", year=2025) == [
        ("合作備忘錄", "signed", "2025-10-03", ("宮崎縣",))]


def test_a_passage_about_one_partner_lends_it_to_a_sentence_naming_none():
    assert found("雙方簽署合作備忘錄。", passage="拜會宮崎縣") == [("合作備忘錄", "signed", None, ("宮崎縣",))]
    assert found("雙方簽署合作備忘錄。", passage="拜會宮崎縣與福岡市") == []  # which one is not said


def test_the_sentence_reads_as_written_across_a_page_break():
    [agreement] = find_agreements("日本八代市與本市正式締結為友好城市，並透過八代物產展等\n\n活動建立良好友誼。")
    assert agreement.sentence == "日本八代市與本市正式締結為友好城市，並透過八代物產展等活動建立良好友誼"


@pytest.mark.parametrize("text,year,date", [
    ("明(112)年為本市與八代市締結友好交流協定五週年。", 2022, "2023"),  # the year written in brackets
    ("明年更是八代市與基隆市締結友好交流協定的五周年。", 2022, "2023"),  # the report's year + 1
    ("去年本市與京都市締結姊妹市。", 2025, "2024"),
    ("今年度本市與京都市締結姊妹市。", 2025, None),  # 今年度 is a fiscal year's name, not a date
])
def test_years_said_from_the_reports(text, year, date):
    assert [a.date for a in find_agreements(text, (), year)] == [date]


def test_same_year_does_not_change_the_reports_year_for_later_sentences():
    text = "104年4月，八代市長來訪。同年8月，八代港與基隆港簽訂為姊妹港。嗣於 10 月 3 日，雙方與八代市簽署合作備忘錄。"
    assert [a.date for a in find_agreements(text, (), 2022)] == ["2015-08", "2022-10-03"]


@pytest.mark.parametrize("text", [
    "本市與八代市締結姊妹市，" * 3000,  # one sentence, thousands of agreements and partners
    "姊妹市" * 20_000,  # names of agreements and nothing else
    "同年8月" * 10_000 + "與八代市締結姊妹市。",  # 同年 with no year before it
    "",
])
def test_hostile_text(text):
    """Every agreement found names a partner and a kind; nothing is lost or made up."""
    found = find_agreements(text, (), 2022)
    assert all(a.partners and a.kind for a in found)
    assert len(found) <= text.count("姊妹市")
