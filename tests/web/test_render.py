"""web.render: passage text to safe HTML, and the table of contents."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import web.render
from indexer.ingest.passages import split_passages
from indexer.models import Passage
from web.render import render_passage, render_text, render_toc

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def passage(text: str) -> Passage:
    return Passage("p-00000000", (), text, 0, len(text))


def test_doctests():
    assert doctest.testmod(web.render).failed == 0


@pytest.mark.parametrize(
    "text,expected",
    [
        ("壹、目的", "<h2>壹、目的</h2>"),
        ("貳拾肆、國際事務", "<h2>貳拾肆、國際事務</h2>"),
        ("一、前言", "<h3>一、前言</h3>"),
        ("（一）姊妹市認養活動", "<h4>（一）姊妹市認養活動</h4>"),
        ("1.巴西里約市", "<h5>1.巴西里約市</h5>"),
        ("(1) 與帛琉共和國科羅州締結姊妹市", "<h5>(1) 與帛琉共和國科羅州締結姊妹市</h5>"),
        ("## 壹、目的", "<h2>壹、目的</h2>"),
        ("#### 四、兩市過去的互動", "<h3>四、兩市過去的互動</h3>"),
        ("# 報告", "<h2>報告</h2>"),
        ("### 心得", "<h3>心得</h3>"),
        ("為拓展本市城市交流。", "<p>為拓展本市城市交流。</p>"),
        ("服務機關：基隆市政府\n出國期間：111年9月2日", "<p>服務機關：基隆市政府<br />\n出國期間：111年9月2日</p>"),
        ("1.103年8月1至5日，由本府辦理。", "<p>1.103年8月1至5日，由本府辦理。</p>"),
        ("- (1) 甲案，辦理。\n- (2) 乙案，辦理。", "<ul>\n<li>(1) 甲案，辦理。</li>\n<li>(2) 乙案，辦理。</li>\n</ul>"),
        # numbered items keep the numbers written (an <ol> would number them itself)
        ("1. 鈴木局長表示，感謝。\n3. 蔣市長回應，感謝。", "<p>1. 鈴木局長表示，感謝。<br />\n3. 蔣市長回應，感謝。</p>"),
        ("    縮排的句子。", "<p>縮排的句子。</p>"),
        ("#hashtag", "<p>#hashtag</p>"),
        # a paragraph a page break cut in two is one again (the Keelung report)
        ("107年4月19日正式締結為友好城市，並透過每年雙方互訪、八代物產展等\n\n活動建立良好友誼。",
         "<p>107年4月19日正式締結為友好城市，並透過每年雙方互訪、八代物產展等活動建立良好友誼。</p>"),
        # … but two captions stay two
        ("參與東京晴空塔下「台灣祭」活動，並現場製作蚵仔煎行銷臺灣小吃\n\n大阪府知事吉村洋文赴東京拜會蔣市長",
         "<p>參與東京晴空塔下「台灣祭」活動，並現場製作蚵仔煎行銷臺灣小吃</p>\n<p>大阪府知事吉村洋文赴東京拜會蔣市長</p>"),
    ],
)
def test_headings_paragraphs_and_lists(text, expected):
    assert render_text(text) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        # a header row of short labels becomes <thead>
        (
            "年度\t總場次\n110\t11",
            "<table tabindex=\"0\">\n<thead><tr><th>年度</th><th>總場次</th></tr></thead>\n"
            "<tbody><tr><td>110</td><td>11</td></tr></tbody>\n</table>",
        ),
        # photo captions are not a header; short rows are padded
        (
            "古賀和秀理事長分享市場管理\t張峯源局長與理事長合影於市場入口\n雙方合影\t",
            "<table tabindex=\"0\">\n<tbody><tr><td>古賀和秀理事長分享市場管理</td><td>張峯源局長與理事長合影於市場入口</td></tr>"
            "<tr><td>雙方合影</td><td></td></tr></tbody>\n</table>",
        ),
        # a blank line (page break) inside a table does not end it
        (
            "1\t黃駿逸\n\n2\t曾姿雯",
            "<table tabindex=\"0\">\n<tbody><tr><td>1</td><td>黃駿逸</td></tr><tr><td>2</td><td>曾姿雯</td></tr></tbody>\n</table>",
        ),
    ],
)
def test_tables(text, expected):
    assert render_text(text) == expected


def test_heading_caption_and_table_in_one_passage():
    html = render_text("表一、場次\n\n年度\t總場次\n110\t11\n\n備註：含視訊")
    assert html.startswith("<p>表一、場次</p>\n<table tabindex=\"0\">")
    assert html.endswith("</table>\n<p>備註：含視訊</p>")


ATTACKS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<p onclick=alert(1)>x</p>",
    "[點我](javascript:alert(1))",
    "![x](javascript:alert(1))",
    "<javascript:alert(1)>",
    "[a]: javascript:alert(1)\n\n[點我][a]",
    "一、<script>alert(1)</script>",
    "## <img src=x onerror=alert(1)>",
    "甲\t<script>alert(1)</script>\n乙\t\"><img src=x>",
    "- <iframe src=x></iframe>",
    "&lt;script&gt;",
]


@pytest.mark.parametrize("attack", ATTACKS)
def test_document_text_never_becomes_markup(attack):
    html = render_passage(passage(attack))
    for tag in ("<script", "<img", "<iframe", "<a ", "<p onclick", "href=", "src="):
        if tag in ("href=", "src="):
            assert f"{tag}\"" not in html and f"{tag}'" not in html
        else:
            assert tag not in html


@pytest.mark.parametrize(
    "text,shown",
    [
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ('"><img src=x onerror=alert(1)>', '"&gt;&lt;img src=x onerror=alert(1)&gt;'),
        ("A & B", "A &amp; B"),
        ("&lt;", "&amp;lt;"),  # literal text, shown as typed
        ("It's", "It's"),  # quotes are harmless in an element's text
        # markdown's inline syntax is text here: the page shows the characters of the file
        ("尺寸 30*40*50 公分", "尺寸 30*40*50 公分"),
        ("__init__ 與 **粗**", "__init__ 與 **粗**"),
        ("C:\\temp\\new", "C:\\temp\\new"),
        ("`<b>` 標籤", "`&lt;b&gt;` 標籤"),
        ("[連結](http://x) ![圖](y)", "[連結](http://x) ![圖](y)"),
        ("---", "---"),
        ("1.5倍 + 2 - 3 = 0.5!", "1.5倍 + 2 - 3 = 0.5!"),
    ],
)
def test_document_text_is_shown_as_text(text, shown):
    assert shown in render_text(text)


def test_every_corpus_passage_renders():
    for path in sorted(CORPUS.glob("*.txt")):
        for p in split_passages(path.read_text(encoding="utf-8")):
            html = render_passage(p)
            assert "<script" not in html
            assert html.startswith(("<p>", "<table ", "<h2>", "<h3>", "<h4>", "<h5>", "<ul>", "<ol>"))


def test_html_in_a_table_cell_is_escaped():
    html = render_passage(split_passages("柒、新聞\n\n日期\t<p>臺中市經發局局長</p>\n9/9\t<b>x</b>")[0])
    assert "&lt;p&gt;臺中市經發局局長&lt;/p&gt;" in html and "<td><p>" not in html and "<b>" not in html


def _shown(html: str) -> str:
    """The characters a page shows for `html` (its text, entities read), no whitespace."""
    from html.parser import HTMLParser

    texts: list[str] = []
    parser = HTMLParser(convert_charrefs=True)
    parser.handle_data = texts.append
    parser.feed(html)
    parser.close()
    return "".join("".join(texts).split())


def _written(text: str) -> str:
    """The characters of a text as a page should show them, no whitespace: a heading line
    without its markdown marks, every other character as written."""
    from indexer.ingest.passages import heading_rank, heading_title, is_table_row

    lines: list[str] = []
    opens = True  # where a bullet starts a list: a block's start, or after a bulleted line
    for line in text.split("\n"):
        bullet = re.match(r"[-*+][ \t]+(?=\S)", line.strip())
        if heading_rank(line) is not None:
            lines.append(heading_title(line))
            opens = True
        elif is_table_row(line):  # a table ends the block: text after it starts another
            lines.append(line)
            opens = True
        elif bullet and opens:
            lines.append(line.strip()[bullet.end():])  # the bullet shows for its marker
        else:
            lines.append(line)
            opens = not line.strip()
    return "".join("".join(lines).split())


@pytest.mark.parametrize("path", sorted(CORPUS.glob("*.txt")), ids=lambda p: p.stem)
def test_every_corpus_passage_shows_exactly_its_characters(path):
    from indexer.ingest.corpus import read_report

    for passage in read_report(path, CORPUS).passages:
        assert _shown(render_passage(passage)) == _written(passage.text), passage.passage_id


HOSTILE = st.text(alphabet=st.sampled_from(list("*_`\\#[]()!<>&\"'-+.|~=^{}:;/ \t\n　") + list("臺中市1a甲")),
                  max_size=60)


@settings(max_examples=400, deadline=None)
@given(st.lists(HOSTILE, min_size=1, max_size=6))
def test_hostile_text_shows_exactly_its_characters(lines):
    text = "\n".join(lines)
    assert _shown(render_text(text)) == _written(text)


@pytest.mark.parametrize(
    "body,expected",
    [
        (
            "壹、目的\n\n甲。\n\n貳、過程\n\n一、日程\n\n乙。\n\n（一）細節\n\n丙。\n\n二、心得\n\n丁。",
            [("壹、目的", 1), ("貳、過程", 1), ("一、日程", 2), ("（一）細節", 3), ("二、心得", 2)],
        ),
        ("目錄\n\n一、前言\t1\n二、回顧\t2\n\n一、前言\n\n甲。", [("一、前言", 1)]),
        ("沒有標題的段落。", []),
    ],
)
def test_render_toc(body, expected):
    passages = split_passages(body)
    toc = render_toc(passages)
    assert [(e["text"], e["level"]) for e in toc] == expected
    ids = {p.passage_id for p in passages}
    assert all(e["passage_id"] in ids for e in toc)


def test_render_toc_links_each_heading_to_the_passage_holding_it():
    passages = split_passages((CORPUS / "keelung-2022-yatsushiro-visit.txt").read_text(encoding="utf-8"))
    toc = render_toc(passages)
    by_id = {p.passage_id: p for p in passages}
    assert toc[0]["text"] == "基隆市政府111年 參訪日本八代市友好城市活動"  # merged into the cover passage
    for entry in toc:
        assert entry["text"] in by_id[entry["passage_id"]].text
    assert ("六、參訪過程", 2) in [(e["text"], e["level"]) for e in toc]


@pytest.mark.parametrize("text,levels", [
    ("壹、目的\n\n甲。\n\n一、心得\n\n乙。", ["h2", "h3"]),
    ("一、心得\n\n乙。\n\n（一）細節\n\n丙。", ["h2", "h3"]),  # no 壹: 一 is the outermost
    ("壹、目的\n\n甲。\n\n（一）細節\n\n丙。\n\n貳、過程\n\n丁。", ["h2", "h3", "h2"]),  # 一 skipped: one level down
])
def test_headings_nest_as_the_report_does_and_never_skip_a_level(text, levels):
    from web.render import Outline

    outline = Outline()
    html = "".join(render_passage(p, outline) for p in split_passages(text))
    assert re.findall(r"<(h\d)>", html) == levels
