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
        "title": "自訂標題", "city": "臺南市", "level": "地方", "city_evidence": "front matter",
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


# How documents that are not 出國報告 state who wrote them, when, and what they are
# (shaped on the real files in tests/real, which test_real_files.py checks whole).
LETTER = """.
.
裝
.
訂
.
線
高雄市殯葬管理處 函
地址：807077高雄市三民區本館路600巷20號
受文者：財政部
發文日期：中華民國112年9月28日
發文字號：高市殯處綜字第11270867100號
主旨：有關骨灰（骸）存放設施適用促進民間參與公共建設法施

行細則疑義１案，請釋示。

說明：
一、依大部110年6月16日函辦理。
2
"""


@pytest.mark.parametrize(
    "body,name,expected",
    [
        (   # a letter-spaced cover: the body on its own line, then the title, then the session
            "行\t政\t院\n施\t政 報 告\n立法院第 11 屆第 3 會期\n中華民國 114 年 2 月\n\n高雄市政府林副市長說明。\n",
            "",
            dict(title="行政院施政報告", agency="行政院", city=None, level="中央", kind="施政報告", date="2025-02",
                 date_inferred=False),
        ),
        (   # a title broken over the cover's lines, up to the line naming a person
            "行　政　院\n\n113年度中央政府總預算\n\n追加預算案\n\n院 長 卓榮泰\n\n1\n",
            "",
            dict(title="行政院113年度中央政府總預算追加預算案", agency="行政院", city=None),
        ),
        (   # a 公文: letterhead, 發文日期, 主旨 over two lines; binding-line marks and page numbers never titles
            LETTER, "",
            dict(agency="高雄市殯葬管理處", city="高雄市", level="地方", kind="公文", date="2023-09-28", date_inferred=False,
                 title="高雄市殯葬管理處函：有關骨灰（骸）存放設施適用促進民間參與公共建設法施行細則疑義１案，請釋示。"),
        ),
        (   # council minutes: the council in the title, 時　　間： spread to the labels' width
            "新北市議會第1屆第4次定期會第13次會議摘要紀錄\n時　　間：中華民國101年11月6日10時6分\n"
            "主　　席：陳議長幸進\n希於106年底完成。市長朱立倫答復。\n",
            "",
            dict(agency="新北市議會", city="新北市", kind="會議紀錄", date="2012-11-06", date_inferred=False),
        ),
        (   # a rule issued by a ministry's letter: the body before its 字號, no city
            "促進民間參與公共建設履約爭議協調會作業指引\n\n中華民國105年1月13日財政部台財促字第10525500270號函\n\n"
            "一、高雄市政府得參考辦理。\n",
            "",
            dict(agency="財政部", city=None, kind="法規"),
        ),
        (   # a ministry's name opening the title
            "教育部辦理民間參與公共建設案件獎勵金支用原則\n\n臺北市立大學依本原則辦理。\n",
            "",
            dict(agency="教育部", city=None, kind="法規"),
        ),
        (   # a transcript: its h1 is the title, a ministry named in it and no city: central,
            # though the mayor of Taipei is mentioned; its file name dates it
            "# 外交部公民科技外交心得分享\n\n" + "### 唐鳳：\n柯文哲市長也來了。\n\n" * 5,
            "pdis-2016-12-21-talk.md",
            dict(title="外交部公民科技外交心得分享", city=None, kind="逐字稿", date="2016-12-21", date_inferred=True),
        ),
        (   # a web page: its h1, not the line above it; a logo is never the title
            "TACTRI\n\n臺北市政府社會局\n\n# 公托登記報名及抽籤系統 之使用者經驗設計\n\n## 定義問題\n",
            "",
            dict(title="公托登記報名及抽籤系統 之使用者經驗設計", agency="臺北市政府社會局", city="臺北市"),
        ),
        (   # a PDF's logo line, then a letter-spaced title
            "# TACTRI\n\n## 稻 作 病 蟲 害\n\n## 水 稻 病 害\n\n### 一、稻 種 消 毒\n",
            "",
            dict(title="稻作病蟲害", level=None),
        ),
        (   # a news release dates itself by 今(11)日; its words keep their spaces
            "臺北市與日本松山市正式締結為友誼市 蔣萬安:持續深化合作\n\n臺北市今(11)日正式與日本松山市締結友誼市，"
            "市長蔣萬安出席。\n",
            "taipei-news-20241011.txt",
            dict(kind="新聞稿", city="臺北市", agency="臺北市政府", date="2024-10-11", date_inferred=True,
                 title="臺北市與日本松山市正式締結為友誼市 蔣萬安:持續深化合作"),
        ),
        (   # a plan by its title; a date in the name that cannot be a report's is passed over
            "臺中市政府國際交流推動計畫\n\n本計畫自114年起推動。\n",
            "plan-29990101.txt",
            dict(kind="計畫", agency="臺中市政府", city="臺中市", date="2025", date_inferred=True),
        ),
    ],
)
def test_documents_that_state_their_author_and_date(body, name, expected):
    meta = extract_metadata(body, name=name)
    assert {key: getattr(meta, key) for key in expected} == expected, meta


@pytest.mark.parametrize(
    "body,name,expected",
    [
        (   # minutes dated in Chinese numerals, by a committee whose number of meeting follows its name
            "台南市都市計畫委員會第二二五次會議紀錄\n時\u3000間：九十二年七月二十五日(星期五)上午九時整\n",
            "0920725_2f5a.htm",
            dict(date="2003-07-25", date_inferred=False, kind="會議紀錄", agency="臺南市都市計畫委員會", city="臺南市"),
        ),
        (   # a cover: fiscal year, title, then the body with its date
            "## 113 年度\n## 促進民間參與公共建設業務考核計畫\n財政部113年4月\n目錄\n臺北市政府參加考核。\n",
            "",
            dict(title="113 年度促進民間參與公共建設業務考核計畫", agency="財政部", city=None, date="2024-04",
                 date_inferred=False, kind="計畫"),
        ),
        (   # a cover dated in Chinese numerals with 〇; the body that sent it to the ministry
            "# 十二年國民基本教育課程綱要\n### 科技領域\n## 中華民國一○五年二月\n"
            "國家教育研究院於 105 年 1 月 5 日以教研課字第 1041103380 號函陳報教育部\n",
            "",
            dict(date="2016-02", date_inferred=False, agency="國家教育研究院", city=None),
        ),
        (   # a rule amended by another body than the one that made it: the last one
            "境外核災處理作業要點\n中華民國103年5月21日行政院原子能委員會\n會技字第1030008776號函訂定\n"
            "中華民國112年12月26日核能安全委員會\n核應字第1120019836號函修正第2點\n一、目的\n",
            "",
            dict(agency="核能安全委員會", city=None, kind="法規"),
        ),
        (   # a council session: the council's record; its title names the day
            "第4屆第4次定期會工務部門業務報告及質詢113年9月30日\n記錄：李欣怡\n主席：（郭議員鴻儀）\n"
            "市政府工務局陳局長報告。臺南市政府研考會蒙主委報告。市長黃偉哲。希望於116年6月完成。\n",
            "",
            dict(kind="議事錄", agency="臺南市議會", city="臺南市", date="2024-09-30", date_inferred=False),
        ),
        (   # a news release's fields glued on one line; the unit is its city's government's
            "臺南市與紐奧良締結姊妹市\n發布單位：新聞及國際關係處發布時間：2022年10月25日\n"
            "臺南市長黃偉哲今(25)日出席。\n",
            "",
            dict(agency="臺南市政府新聞及國際關係處", city="臺南市", date="2022-10-25", date_inferred=False),
        ),
        (   # the title in a smaller heading than the first section's; the mayor written 黃縣長健庭
            "## 尼伯特颱風災害應變中心第四次工作會報會議記錄\n主持人：黃縣長健庭\n"
            "會議時間：105 年 7 月 09 日 14 時 30 分\n# 各單位報告\n警察局：\n",
            "",
            dict(title="尼伯特颱風災害應變中心第四次工作會報會議記錄", kind="會議紀錄", city="臺東縣",
                 date="2016-07-09", agency="臺東縣政府尼伯特颱風災害應變中心"),
        ),
        (   # a title set over two lines of large type
            "# 109年度臺南市都市設計審議委員會\n# 第 21 次會議紀錄\n中華民國109年12月18日府都設字第1091539482號函\n",
            "",
            dict(title="109年度臺南市都市設計審議委員會第 21 次會議紀錄", kind="會議紀錄", city="臺南市"),
        ),
        (   # a roster states no date: the term it names can end after it was made, not start
            "行政院青年諮詢委員會第2屆委員名冊\n職稱\t姓名\n委員\t唐鳳\n"
            "以上計派（聘）兼30人，派（聘）兼期間自107年11月1日起至109年10月31日止。另依106年6月9日函辦理。\n",
            "",
            dict(date="2018-11-01", date_inferred=True, agency="行政院青年諮詢委員會", city=None),
        ),
        (   # 說明： on the line where 主旨 ends
            "新竹縣政府 函\n發文日期：中華民國110年9月30日\n主旨：有關本縣辦理競賽乙案，請查照。說明：\n一、依據計畫辦理。\n",
            "",
            dict(title="新竹縣政府函：有關本縣辦理競賽乙案，請查照。", agency="新竹縣政府", city="新竹縣", kind="公文"),
        ),
        (   # a news release's header fields, one to a line
            "黃偉哲40小時高效出訪波蘭 拚經濟外交促台波產業合作\n\n發稿單位：新聞及國際關係處\n"
            "發稿時間：2026年7月21日\n\n台南市長黃偉哲偕市府團隊前往波蘭。\n",
            "",
            dict(kind="新聞稿", agency="臺南市政府新聞及國際關係處", city="臺南市", date="2026-07-21",
                 date_inferred=False),
        ),
        (   # a council's own news: the council, named far more than the city government
            "郭信良議長率團赴日與和歌山市議會簽署友好交流協定\n\n臺南市議會10日由議長郭信良率18位議員赴日。"
            "為表臺南市議會對於此行的重視，臺南市議會與臺南市政府合作。\n",
            "",
            dict(city="臺南市", agency="臺南市議會"),
        ),
        (   # a city's news naming the council once: the city government's
            "臺北市與日本松山市正式締結為友誼市\n\n市長蔣萬安出席。感謝臺北市議會戴錫欽議長全力支持。\n",
            "",
            dict(city="臺北市", agency="臺北市政府"),
        ),
        (   # an office of a central body on the letterhead; 主旨 past the first fifteen lines
            "\n".join([".", "總統府秘書長 函", *[f"欄位{i}：內容" for i in range(16)],
                       "發文日期：中華民國111年12月21日", "主旨：立法院咨請總統公布修正條文一案，請查照。", "說明："]),
            "",
            dict(agency="總統府秘書長", city=None, kind="公文", date="2022-12-21",
                 title="總統府秘書長函：立法院咨請總統公布修正條文一案，請查照。"),
        ),
    ],
)
def test_more_ways_documents_state_their_author_and_date(body, name, expected):
    meta = extract_metadata(body, name=name)
    assert {key: getattr(meta, key) for key in expected} == expected, meta


def test_a_file_of_one_long_line_is_read_for_its_author_and_date_only_at_its_start():
    # Where a body or a date is stated the line is short; the rest of a long line is prose and
    # is not searched for them, so that a file that is one long line costs no more.
    from indexer.ingest.authorship import LINE_CHARS, author
    from indexer.ingest.metadata import DATE_LINE_CHARS

    prose = "交流合作" * (LINE_CHARS // 4)
    assert author([prose + "財政部台財促字第1052550027號"], "").agency is None
    assert author(["財政部台財促字第1052550027號" + prose], "").agency == "財政部"
    dated = "中華民國113年4月"
    assert extract_metadata(f"標題\n{dated}\n").date == "2024-04"
    assert extract_metadata(f"標題\n{dated}{'。' * DATE_LINE_CHARS}\n").date_evidence.startswith("no report date")
