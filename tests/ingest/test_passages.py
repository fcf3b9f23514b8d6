"""indexer.ingest.passages: headings, tables, TOCs, fragments, coverage and stable ids."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import indexer.ingest.passages
from indexer.ingest.passages import (
    MAX_CHARS,
    heading_rank,
    heading_title,
    is_table_row,
    is_toc_entry,
    split_passages,
)

CORPUS = Path(__file__).resolve().parents[2] / "corpus"
REPORTS = sorted(CORPUS.glob("*.txt"))


def body_of(name: str) -> str:
    return (CORPUS / name).read_text(encoding="utf-8")


def assert_covers(body: str, passages) -> None:
    """text is body[start:end], stripped, in order, and only whitespace lies between passages."""
    position = 0
    for passage in passages:
        assert passage.text == body[passage.start : passage.end]
        assert passage.text and passage.text == passage.text.strip()
        assert body[position : passage.start].strip() == ""
        position = passage.end
    assert body[position:].strip() == ""
    assert "".join("".join(p.text for p in passages).split()) == "".join(body.split())


def test_doctests():
    assert doctest.testmod(indexer.ingest.passages).failed == 0


@pytest.mark.parametrize(
    "line,rank",
    [
        ("壹、目的", 1),
        ("貳拾肆、國際事務", 1),
        ("柒、 新聞輿情蒐集", 1),
        ("附件一：活動照片", 1),
        ("附件二:行程表", 1),
        ("一、前言", 2),
        ("三、 國際業務成果與未來展望", 2),
        ("十四、拜會宮崎縣政府副知事佐藤弘之", 2),
        ("（一）姊妹市認養活動", 3),
        ("(一) 撰研動機", 3),
        ("(二)5月16日", 3),
        ("1.姊妹市及國際友好城市對本市石化氣爆事件表達關切之意", 4),
        ("1. 海外輕展覽及參與國際線上展覽", 4),
        ("3.菲律賓宿霧市市議員DAVID FLORES TUMULAK參加本市舉辦「2014ICLEI減災與調適國際研討會」", 4),
        ("(1) 與帛琉共和國科羅州締結姊妹市", 5),
        ("（2）陳其邁市長線上出席亞太城市高峰會", 5),
        # markdown: the numbering decides the rank, the # count only when there is none
        ("## 壹、目的", 1),
        ("#### 四、兩市過去的互動", 2),
        ("## 六、參訪過程", 2),
        ("## 目次", 1),
        ("# 報告", 0),
        ("### 心得", 2),
        # list items, sentences, table rows and TOC entries are not headings
        ("1.103年8月1至5日，由本府民政局率領中華藝校表演團，參加八王子祭。", None),
        ("2. 蔣市長則回應表示此次訪日，首站拜訪青年局即顯見雙方關係密切。", None),
        ("5. 研考會主委俞振華補充說明，在臺北市的臺灣大學或是臺灣科技大學、臺北科技大", None),
        ("- (1) 與韓國水原友好城市合作，推薦在地藝術家參與。", None),
        ("表一、109 年至 110 年 創新國際交流專案辦理場次", None),
        ("壹、 摘要.....\t2", None),
        ("參、心得及建議.....16", None),
        ("一、前言\t1", None),
        ("1\t黃駿逸\t基隆市政府\t秘書長", None),
        ("12.5%的成長", None),
        ("雙方合影", None),
        ("", None),
        ("   ", None),
    ],
)
def test_heading_rank(line, rank):
    assert heading_rank(line) == rank


@pytest.mark.parametrize(
    "line,title",
    [("## 壹、目的  ", "壹、目的"), ("  三、 國際業務成果與未來展望\t", "三、 國際業務成果與未來展望"), ("一、前言", "一、前言")],
)
def test_heading_title(line, title):
    assert heading_title(line) == title


@pytest.mark.parametrize(
    "line,expected",
    [("日期\t行程內容\t", True), ("返臺\t\t", True), ("\t", False), ("\t雙方合影", False), ("雙方合影", False)],
)
def test_is_table_row(line, expected):
    assert is_table_row(line) == expected


@pytest.mark.parametrize(
    "body,paths",
    [
        # each level nests under the one above; a sibling replaces its predecessor
        (
            "壹、目的\n\n甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲。\n\n"
            "一、心得\n\n乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙。\n\n"
            "（一）細節\n\n丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙丙。\n\n"
            "1.項目\n丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁丁。\n"
            "(1)子項\n戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊戊。\n\n"
            "二、建議\n\n己己己己己己己己己己己己己己己己己己己己己己己己己己己己己己己。",
            [
                ("壹、目的",),
                ("壹、目的", "一、心得"),
                ("壹、目的", "一、心得", "（一）細節"),
                ("壹、目的", "一、心得", "（一）細節", "1.項目"),
                ("壹、目的", "一、心得", "（一）細節", "1.項目", "(1)子項"),
                ("壹、目的", "二、建議"),
            ],
        ),
        # markdown levels that disagree with the numbering follow the numbering
        (
            "## 貳、過程\n\n### 五、行程簡述\n\n甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲甲。\n\n"
            "## 六、參訪過程\n\n乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙乙。",
            [("貳、過程", "五、行程簡述"), ("貳、過程", "六、參訪過程")],
        ),
        # a numbered sentence is content, not a heading
        (
            "（一）姊妹市認養活動\n\n本期辦理主要活動如下：\n"
            "1.103年8月1至5日，由本府民政局率領中華藝校表演團，參加八王子祭慶典活動。\n"
            "2.103年10月16至17日，日本八王子足球協會會長小泉修率該市女子足球隊訪高。",
            [("（一）姊妹市認養活動",)],
        ),
    ],
)
def test_heading_paths(body, paths):
    passages = split_passages(body)
    assert [p.heading_path for p in passages] == paths
    assert_covers(body, passages)


def test_table_of_contents_is_one_passage_and_encloses_nothing():
    body = "目錄\n\n一、前言\t1\n(一) 撰研動機\t1\n二、回顧\t4\n\n一、前言\n\n(一) 撰研動機\n\n" + "甲" * 60 + "。"
    passages = split_passages(body)
    assert [p.heading_path for p in passages] == [("目錄",), ("一、前言", "(一) 撰研動機")]
    assert passages[0].text == "目錄\n\n一、前言\t1\n(一) 撰研動機\t1\n二、回顧\t4"


def test_a_section_is_cut_into_its_paragraphs_and_tables_each_whole():
    paragraph = "甲" * 300 + "。"
    table = "\n".join(f"{n}\t八代市\t課長\t氏名{n}" for n in range(20))
    body = "一、過程\n\n" + "\n\n".join([paragraph] * 3 + [table, paragraph])
    passages = split_passages(body)
    assert_covers(body, passages)
    assert [p.text for p in passages] == ["一、過程\n\n" + paragraph, paragraph, paragraph, table, paragraph]
    assert all(p.heading_path == ("一、過程",) for p in passages)


def test_a_long_table_is_cut_between_rows():
    table = "\n".join(f"{n}\t八代市\t課長\t氏名{n}" for n in range(60))
    passages = split_passages("一、名單\n\n" + table)
    assert len(passages) > 1 and all(len(p.text) <= MAX_CHARS + 10 for p in passages)
    assert all(p.text.endswith(tuple(f"氏名{n}" for n in range(60))) for p in passages)


def test_a_paragraph_broken_by_a_page_break_is_one_passage():
    body = ("三、緣起\n\n" + "甲" * 30 + "，並透過每年雙方互訪、八代物產展等\n\n活動建立良好友誼。\n\n"
            + "乙" * 20 + "。")
    passages = split_passages(body)
    assert_covers(body, passages)
    assert sum("八代物產展等\n\n活動建立良好友誼。" in p.text for p in passages) == 1
    assert len(passages) == 2


@pytest.mark.parametrize("body", [
    "三、緣起\n\n" + "甲" * 30 + "。\n\n" + "乙" * 30 + "。",         # a sentence ends
    # two photo captions (no sentence goes on: the second has no punctuation)
    "三、緣起\n\n參與東京晴空塔下「台灣祭」活動，並現場製作蚵仔煎行銷臺灣小吃\n\n大阪府知事吉村洋文赴東京拜會蔣市長\n\n"
    + "乙" * 30 + "。",
    # a title line (no comma inside), then a form's field
    "三、緣起\n\n" + "甲" * 30 + "\n\n撰寫機關：高雄市政府行政暨國際處（國際科）。",
    # a table's caption follows
    "三、緣起\n\n" + "甲" * 20 + "，乙乙乙等案\n\n表四、107 年至 110 年 姊妹市及友好城市締盟成果，如下。",
    "三、緣起\n\n" + "甲" * 30 + "\n\n1. " + "乙" * 30 + "。",       # a list follows
    "三、緣起\n\n" + "甲" * 10 + "\n\n" + "乙" * 30 + "。",           # a short line is no paragraph of prose
])
def test_paragraphs_that_end_or_stop_short_stay_apart(body):
    passages = split_passages(body)
    assert_covers(body, passages)
    assert len(passages) == 2


@pytest.mark.parametrize(
    "body,cut",
    [
        ("市" * 1_000_000, "市市"),  # a run of one character: cut every MAX_CHARS
        (("的臺鄉" * 400_000)[:1_000_000], "[的臺鄉]{2}"),
        ("." * 200_000, r"\.\."),  # dot leaders without a page number
        (("甲" * 99 + "。") * 10_000, "。甲"),  # one paragraph, no blank line: cut after a sentence
        (("甲" * 49 + "\n") * 20_000, "甲\n"),  # hard-wrapped lines without a sentence end: at a line end
        (("甲" * 29 + "，") * 30_000, "，甲"),
        ("1. 市長，\n\n" * 100_000, "，\n"),  # a list's items are kept together, but not all of them
        (("甲" * 20 + "，乙乙\n\n") * 40_000, "乙\n"),  # 40,000 page breaks mid-sentence: rejoined, then cut
        ("摘要如下：" * 100_000, "：摘"),
        ("\t".join(["八代市"] * 100_000), "市\t"),  # a table of one enormous row
        ("\n".join(["八代市\t課長"] * 50_000), "長\n"),  # a long table: cut between rows
    ],
)
def test_a_huge_paragraph_gives_passages_of_a_readable_size(body, cut):
    """`cut`: what the body reads across each passage's end."""
    passages = split_passages(body)
    assert_covers(body, passages)
    assert len(passages) >= len(body) // (2 * MAX_CHARS)
    assert max(len(p.text) for p in passages) <= 2 * MAX_CHARS
    assert all(re.fullmatch(cut, body[p.end - 1 : p.end + 1]) for p in passages[:-1])


@pytest.mark.parametrize(
    "line,expected",
    [
        ("壹、目的……………1", True),
        ("壹、 摘要.....\t2", True),
        ("一、前言\t1", True),
        ("二、回顧 ． ．．．  14", True),
        ("三、心得···9999", True),
        ("三、心得···10000", False),  # a page number has at most four digits
        ("三、心得…1", False),  # one … is punctuation, not a leader
        ("共計 3 天", False),
        ("1", False),
        ("." * 100_000, False),  # took minutes with the regex this replaced
        ("." * 100_000 + "5", True),
        ("", False),
    ],
)
def test_is_toc_entry(line, expected):
    assert is_toc_entry(line) is expected


@pytest.mark.parametrize(
    "body,together",
    [
        # a photo caption joins its paragraph
        ("一、參訪\n\n" + "甲" * 50 + "。\n\n雙方合影\n\n二、建議\n\n" + "乙" * 50 + "。", "甲。\n\n雙方合影"),
        # a table caption joins the table below it
        ("一、統計\n\n" + "甲" * 50 + "。\n\n表一、場次\n\n年度\t總場次\n110\t11", "表一、場次\n\n年度\t總場次"),
        # a lead-in ending in a colon keeps its list
        ("一、會談\n\n摘要如下：\n\n1. " + "甲" * 40 + "。\n\n2. " + "乙" * 40 + "。", "摘要如下：\n\n1. "),
        # a heading with nothing under it joins the section that follows
        ("肆、過程\n\n一、參訪日程\n\n日期\t行程\n9/1\t福岡", "肆、過程\n\n一、參訪日程"),
    ],
)
def test_fragments_stay_with_a_neighbour(body, together):
    passages = split_passages(body)
    assert_covers(body, passages)
    assert any(together in p.text for p in passages)


def test_short_lead_line_merges_into_next_passage():
    body = "出國報告（出國類別：其他）\n\n## 壹、目的\n\n" + "甲" * 60 + "。"
    passages = split_passages(body)
    assert len(passages) == 1
    assert passages[0].heading_path == ()  # it opens with the lead line, outside any heading


@pytest.mark.parametrize("body", ["", "   \n\n\t\n"])
def test_blank_body_has_no_passages(body):
    assert split_passages(body) == ()


LINES = st.sampled_from(
    [
        "", " ", "\t", "壹、目的", "## 貳、過程", "### 心得", "一、前言", "（一）細節", "(二)5月16日", "1.項目",
        "(1)子項", "附件一：照片", "目錄", "一、前言\t1", "壹、 摘要.....\t2", "日期\t行程\t", "\t福岡\t熊本",
        "雙方合影", "摘要如下：", "- (1) 列點，內容。", "1.103年8月1日，由本府辦理。", "甲" * 200 + "。",
        "乙" * 900 + "。", "  縮排的句子。  ", "<script>alert(1)</script>",
    ]
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(LINES, st.text(max_size=30)), max_size=40))
def test_coverage_over_random_line_mixes(lines):
    body = "\n".join(lines)
    assert_covers(body, split_passages(body))


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_corpus_reports_are_covered_without_fragments(path):
    body = path.read_text(encoding="utf-8")
    passages = split_passages(body)
    assert_covers(body, passages)
    sizes = sorted(len(p.text) for p in passages)
    # paragraphs: a median of 60–250 characters, none under 15, none over MAX_CHARS
    assert 60 <= sizes[len(sizes) // 2] <= 250 and sizes[0] >= 15 and sizes[-1] <= MAX_CHARS


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_corpus_tables_are_cut_only_between_rows_and_only_when_long(path):
    body = path.read_text(encoding="utf-8")
    passages = split_passages(body)
    for left, right in zip(passages, passages[1:], strict=False):
        last_line = left.text.rsplit("\n", 1)[-1]
        first_line = right.text.split("\n", 1)[0]
        if is_table_row(last_line) and is_table_row(first_line):
            assert body[left.end] == "\n" and len(left.text) > MAX_CHARS // 2, (last_line, first_line)


@pytest.mark.parametrize("path", REPORTS, ids=lambda p: p.stem)
def test_ids_are_ascii_unique_and_stable(path):
    body = path.read_text(encoding="utf-8")
    first, again = split_passages(body), split_passages(body)
    ids = [p.passage_id for p in first]
    assert ids == [p.passage_id for p in again]
    assert len(set(ids)) == len(ids)
    assert all(i.isascii() and i.startswith("p-") for i in ids)


def test_ids_survive_an_edit_elsewhere_in_the_report():
    body = body_of("taichung-2025-kyushu-startup-exchange.txt")
    edited = body.replace("柳橋連合市場位於日本福岡市中央區春吉", "柳橋連合市場位於福岡市中央區春吉")
    before = {p.passage_id for p in split_passages(body)}
    after = {p.passage_id for p in split_passages(edited)}
    assert len(before - after) == 1 and len(after - before) == 1


def test_duplicate_passages_get_suffixed_ids():
    body = "\n\n".join(["一、同名\n\n" + "甲" * 40 + "。"] * 3)
    assert [p.passage_id[10:] for p in split_passages(body)] == ["", "-2", "-3"]


@pytest.mark.parametrize(
    "name,path",
    [
        ("taichung-2025-kyushu-startup-exchange.txt", ("目錄",)),
        ("taichung-2025-kyushu-startup-exchange.txt", ("肆、過程", "一、參訪日程")),
        ("taichung-2025-kyushu-startup-exchange.txt", ("肆、過程", "十四、拜會宮崎縣政府副知事佐藤弘之")),
        ("taichung-2025-kyushu-startup-exchange.txt", ("伍、心得", "五、永續林業與木材產業鏈合作")),
        ("taichung-2025-kyushu-startup-exchange.txt", ("柒、新聞輿情蒐集",)),
        ("keelung-2022-yatsushiro-visit.txt", ("目次",)),
        ("keelung-2022-yatsushiro-visit.txt", ("貳、過程", "四、兩市過去的互動")),
        ("keelung-2022-yatsushiro-visit.txt", ("貳、過程", "六、參訪過程")),
        ("keelung-2022-yatsushiro-visit.txt", ("參、心得及建議", "二、建議")),
        ("kaohsiung-2014-h2-international-affairs.txt", ("貳拾肆、國際事務", "一、積極與國際城市、NGO及民間領袖互動")),
        (
            "kaohsiung-2014-h2-international-affairs.txt",
            ("貳拾肆、國際事務", "二、姊妹市、國際友好城市互訪交流", "（三）賡續推動與國際城市締結姊妹或友好城市", "1.巴西里約市"),
        ),
        ("kaohsiung-2022-pandemic-city-diplomacy.txt", ("目錄",)),
        ("kaohsiung-2022-pandemic-city-diplomacy.txt", ("三、 國際業務成果與未來展望", "(一) 統計分析")),
        (
            "kaohsiung-2022-pandemic-city-diplomacy.txt",
            ("二、疫情時期城市外交的創新與挑戰", "(二) 創新一專案執行要點與辦理情形等概述",
             "8. 以線上或換約方式簽署盟約、出席會議", "(3) 與日本京都市簽署「高雄協定書」"),
        ),
        ("taipei-2024-sushi-tech-tokyo.txt", ("二、行程內容", "(三)5月17日")),
        ("taipei-2024-sushi-tech-tokyo.txt", ("三、心得及建議：",)),
        ("taipei-2024-sushi-tech-tokyo.txt", ("附件一：活動照片", "(四) 5月18日行程")),
        ("taipei-2024-sushi-tech-tokyo.txt", ("附件二:行程表",)),
    ],
)
def test_corpus_heading_paths(name, path):
    assert path in {p.heading_path for p in split_passages(body_of(name))}


@pytest.mark.parametrize(
    "name,needle",
    [
        ("taichung-2025-kyushu-startup-exchange.txt", "柒、 新聞輿情蒐集.....\t30"),  # the whole TOC
        ("kaohsiung-2022-pandemic-city-diplomacy.txt", "(二) 未來展望\t12"),
        ("keelung-2022-yatsushiro-visit.txt", "參、心得及建議.....\t16"),
    ],
)
def test_corpus_toc_is_one_passage(name, needle):
    toc = [p for p in split_passages(body_of(name)) if p.heading_path in {("目錄",), ("目次",)}]
    assert len(toc) == 1 and needle in toc[0].text


def test_the_taichung_news_table_reads_without_the_tags_its_conversion_left():
    """柒、新聞輿情蒐集 holds its cells' HTML paragraphs as literal <p> tags: the passages
    (what is searched, shown and served) hold the text without them, the table's rows intact."""
    from indexer.ingest.corpus import read_report

    path = CORPUS / "taichung-2025-kyushu-startup-exchange.txt"
    assert "<p>" in path.read_text(encoding="utf-8")
    report = read_report(path, CORPUS)
    table = [p for p in report.passages if "中市府參訪姊妹市宮崎縣受熱情歡迎" in p.text]
    assert table and all("<p" not in p.text and "</p" not in p.text for p in report.passages)
    assert all(is_table_row(line) for p in table for line in p.text.split("\n") if "\t" in line)
    assert "宮崎縣受熱情歡迎 日媒專題報導肯定市長盧秀燕施政 2025.09.09" in table[0].text


def test_each_speakers_turn_is_a_passage():
    body = ("第4屆第4次定期會工務部門業務報告及質詢\n主席：（郭議員鴻儀）\n現在請李宗霖議員第一次發言。\n"
            "李議員宗霖：\n第一個是公87的特色公園，請問是遇到什麼樣的困難？\n"
            "工務局陳局長世仁：\n當初最早的時候是因為相關的廠商在做這個工程方面的經驗上有一些不足。\n"
            "李議員宗霖：\n有沒有可能在今年年底以前完工？\n")
    texts = [p.text for p in split_passages(body)]
    # the title line, short and without a full stop, leads the first turn as a caption would
    assert texts == ["第4屆第4次定期會工務部門業務報告及質詢\n主席：（郭議員鴻儀）\n現在請李宗霖議員第一次發言。",
                         "李議員宗霖：\n第一個是公87的特色公園，請問是遇到什麼樣的困難？",
                         "工務局陳局長世仁：\n當初最早的時候是因為相關的廠商在做這個工程方面的經驗上有一些不足。",
                         "李議員宗霖：\n有沒有可能在今年年底以前完工？"]


def test_a_long_table_of_contents_is_cut_between_its_lines():
    body = "目錄\n" + "\n".join(f"第{n}節、考核項目與配分之說明{'.' * 40}{n}" for n in range(1, 40)) + "\n\n壹、目的\n\n本文。\n"
    passages = split_passages(body)
    contents = [p for p in passages if p.text.startswith(("目錄", "第"))]
    assert len(contents) >= 2 and all(len(p.text) <= MAX_CHARS for p in contents)
    assert all(not p.text.endswith(("第", ".")) for p in contents)  # whole lines


def test_a_forms_fields_stay_together_and_apart_from_the_table_above():
    body = ("一、提要\n\n出國人員姓名／職稱\n\n編號\t姓名\n1\t黃駿逸\n\n出國類別：其他\n\n出國期間：111年9月2日至9月7日\n\n"
            "關鍵詞：日本八代市、參訪")
    passages = split_passages(body)
    assert_covers(body, passages)
    assert [p.text.split("\n")[-1] for p in passages] == ["1\t黃駿逸", "關鍵詞：日本八代市、參訪"]


def test_a_long_list_a_page_break_cut_mid_item_is_rejoined_before_it_is_cut():
    items = "\n".join(f"{n}. " + "甲" * 150 + "，乙乙乙。" for n in range(1, 5))
    body = ("二、拜會\n\n" + items + "\n5. 研考會主委俞振華補充說明，在臺北市的臺灣大學或是臺北科技大\n\n"
            "學都有成立Startup中心，協助經團連跟這些大學對接。")
    passages = split_passages(body)
    assert_covers(body, passages)
    assert sum("臺北科技大\n\n學都有成立" in p.text for p in passages) == 1
