"""Reading the files people have: PDF, DOCX, ODT, HTML and Big5 text give the
same passages as the report's own text; broken files are refused with a reason."""

from __future__ import annotations

import io
import random
import re
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from conftest import make_docx, make_html, make_odt, make_pdf

from indexer.errors import UnreadableReport
from indexer.index.build import build_index
from indexer.ingest.extract import doc as doc_module
from indexer.ingest.extract import extract, sniff
from indexer.ingest.extract.text import decode_text
from indexer.query.request import parse_search_request
from indexer.search.searcher import Searcher

REPO = Path(__file__).resolve().parents[2]
KEELUNG = (REPO / "corpus" / "keelung-2022-yatsushiro-visit.txt").read_text(encoding="utf-8")
KAOHSIUNG = (REPO / "corpus" / "kaohsiung-2014-h2-international-affairs.txt").read_text(encoding="utf-8")
QUERIES = ("八代", "姊妹市", '"友好城市"', "物產展 八代港")


def _big5(text: str) -> bytes:
    # 辻 has no Big5 code; the text version gets the same stand-in.
    return text.replace("辻", "十").encode("cp950")


def _hits(index: Path, query: str) -> set[tuple[str, str]]:
    """(heading path, text) of every hit, whitespace and markdown # aside."""
    result = Searcher(index).search(parse_search_request({"q": query, "per_page": "100"}))
    return {(re.sub(r"\s+", "", hit.heading), re.sub(r"[\s#]+", "", hit.text)) for hit in result.hits}


@pytest.fixture(scope="module")
def text_index(tmp_path_factory) -> Path:
    """The Keelung report as text, indexed: what every other format must match."""
    folder = tmp_path_factory.mktemp("as-text")
    (folder / "corpus").mkdir()
    (folder / "corpus" / "report.txt").write_text(KEELUNG, encoding="utf-8")
    build_index(folder / "corpus", folder / "index")
    return folder / "index"


@pytest.mark.parametrize("suffix,make", [
    (".docx", make_docx),
    (".odt", make_odt),
    (".html", make_html),
    (".pdf", make_pdf),
])
def test_a_report_in_another_format_gives_the_same_hits(suffix, make, text_index, tmp_path):
    (tmp_path / "corpus").mkdir()
    (tmp_path / "corpus" / f"report{suffix}").write_bytes(make(KEELUNG))
    summary = build_index(tmp_path / "corpus", tmp_path / "index")
    assert summary.indexed == ["report"] and not summary.skipped
    for query in QUERIES:
        expected = _hits(text_index, query)
        assert expected and _hits(tmp_path / "index", query) == expected, query


def test_a_big5_report_gives_the_same_hits_as_its_utf8_text(tmp_path):
    for name, data in (("utf8", KAOHSIUNG.replace("辻", "十").encode("utf-8")), ("big5", _big5(KAOHSIUNG))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "report.txt").write_bytes(data)
        assert build_index(tmp_path / name, tmp_path / f"{name}-index").indexed == ["report"]
    for query in ("姊妹市", "高雄", '"國際事務"'):
        expected = _hits(tmp_path / "utf8-index", query)
        assert expected and _hits(tmp_path / "big5-index", query) == expected, query


def test_extracted_structure_is_what_the_passage_splitter_reads():
    docx_text = extract(make_docx(KEELUNG), "r.docx")
    assert "\n## 壹、目的\n" in docx_text and "\n### 一、參訪日程表\n" in docx_text
    assert "1\t黃駿逸\t基隆市政府\t基隆市政府\t秘書長\t02-24222740" in docx_text
    html_text = extract(make_html(KEELUNG), "r.html")
    for noise in ("script", "header", "footer", "選單", "相關連結", "導覽樣式", "全球資訊網"):
        assert noise not in html_text
    assert html_text.startswith("出國報告（出國類別：其他-參訪）")
    pdf_text = extract(make_pdf(KEELUNG), "r.pdf")
    assert "\n## 壹、目的\n" in pdf_text and "12\t歐怡廷\t基隆市政府\t觀光及城市行銷處\t科員\t02-24274830" in pdf_text


@pytest.mark.parametrize("charset", ["big5", "utf-8"])
def test_an_html_page_is_decoded_by_its_meta_charset(charset):
    page = make_html("## 壹、目的\n\n基隆市與八代市締結友好城市。", charset=charset)
    assert extract(page, "page.htm") == "## 壹、目的\n\n基隆市與八代市締結友好城市。\n"


# --- plain text: encodings --------------------------------------------------------

SAMPLE = "壹、目的\n\n為拓展本市城市交流，每年市府團隊拜會各地姊妹市及友好城市，其中以日本八代市互動最為頻繁。\n"


@pytest.mark.parametrize("data", [
    SAMPLE.encode("utf-8"),
    b"\xef\xbb\xbf" + SAMPLE.encode("utf-8"),
    SAMPLE.encode("utf-16"),  # with its BOM
    SAMPLE.encode("utf-16-be").join([b"\xfe\xff", b""]),
    SAMPLE.encode("cp950"),
    SAMPLE.replace("\n", "\r\n").encode("cp950"),
])
def test_text_encodings_that_are_read(data):
    assert decode_text(data, "a.txt") == SAMPLE


FRENCH = "Rapport de la visite à Nantes : échanges culturels, délégation reçue à l'hôtel de ville. " * 5


@pytest.mark.parametrize("data,reason", [
    (SAMPLE.encode("gbk"), "neither UTF-8"),  # simplified-Chinese code page
    (SAMPLE.encode("shift_jis", "replace"), "neither UTF-8"),
    ("八代市との友好都市交流について、市長が訪問しました。".encode("shift_jis"), "neither UTF-8"),
    (FRENCH.encode("latin-1"), "neither UTF-8"),
    (bytes(random.Random(6).randrange(128, 256) for _ in range(4000)), "neither UTF-8"),
    (b"\xff\xfe" + SAMPLE.encode("utf-8"), "UTF-16"),  # BOM, then UTF-8: mojibake
    (b"\xff\xfe" + SAMPLE.encode("utf-8") + b"\n", "UTF-16 byte-order mark"),
    (b"\xff\xfe" + b"Keelung and Yatsushiro signed a friendship agreement.", "UTF-16"),
    (b"\xff\xfe" + bytes(random.Random(7).randrange(256) for _ in range(4000)), "UTF-16"),
])
def test_text_that_would_be_mojibake_is_refused(data, reason):
    with pytest.raises(UnreadableReport, match=reason):
        decode_text(data, "a.txt")


# --- broken and odd files ---------------------------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def _blank_pdf() -> bytes:
    """A page with only a drawn rectangle: what a scan without OCR looks like to us."""
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1)
    pdf.rect(100, 100, 300, 400, fill=1)
    pdf.save()
    return out.getvalue()


def _encrypted_pdf() -> bytes:
    from reportlab.lib import pdfencrypt
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    pdf = canvas.Canvas(out, invariant=1, encrypt=pdfencrypt.StandardEncryption("secret"))
    pdf.drawString(100, 700, "Keelung Yatsushiro")
    pdf.save()
    return out.getvalue()


BROKEN = [
    ("empty.txt", b"", "empty"),
    ("blank.txt", b" \n\n\t ", "empty"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200), "PNG image"),
    ("program.txt", bytes(range(256)) * 4, "binary"),
    ("truncated.pdf", make_pdf(KEELUNG)[:6000], "truncated"),
    ("scan.pdf", _blank_pdf(), "no text layer; scanned? OCR is not supported"),
    ("locked.pdf", _encrypted_pdf(), "encrypted"),
    ("garbage.pdf", b"%PDF-1.7\n" + bytes(random.Random(3).randrange(256) for _ in range(3000)) + b"\n%%EOF\n",
     "damaged"),
    ("notpdf.pdf", SAMPLE.encode("utf-8"), "not a PDF"),
    ("corrupt.docx", b"PK\x03\x04" + bytes(random.Random(4).randrange(256) for _ in range(2000)), "damaged"),
    ("nobody.docx", _zip({"word/document.xml": b"<w:document xmlns:w='x'><oops"}), "damaged"),
    ("sheet.odt", _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}), "another kind"),
    ("archive.txt", _zip({"a.txt": b"hello"}), "ZIP archive"),
    ("empty.html", b"<!DOCTYPE html><html><head><script>x()</script></head><body><nav>menu</nav></body></html>",
     "no text outside navigation"),
]


@pytest.mark.parametrize("name,data,reason", BROKEN, ids=[b[0] for b in BROKEN])
def test_a_broken_file_is_refused_with_its_reason(name, data, reason):
    with pytest.raises(UnreadableReport, match=re.escape(reason)) as error:
        extract(data, name)
    assert str(error.value).startswith(name + ": ")


@pytest.mark.parametrize("data,name,fmt", [
    (make_pdf("壹、目的\n\n交流。"), "report.txt", "pdf"),  # a PDF saved as .txt is still a PDF
    (make_docx("交流"), "report.bin", "docx"),
    (make_odt("交流"), "report.zip", "odt"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old.doc", "doc"),
    (b"\xef\xbb\xbf  <!doctype html><p>x", "page.txt", "html"),
    (b"<p>a fragment</p>", "page.htm", "html"),
    (b"<p>a fragment</p>", "note.txt", "text"),
])
def test_the_format_is_found_from_the_content(data, name, fmt):
    assert sniff(data, name) == fmt


def test_a_legacy_doc_without_libreoffice_is_skipped_with_that_reason(monkeypatch):
    monkeypatch.setattr(doc_module.shutil, "which", lambda name: None)
    with pytest.raises(UnreadableReport, match=re.escape("legacy .doc needs LibreOffice (not installed)")):
        extract(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(500), "old.doc")


@pytest.mark.skipif(doc_module.soffice() is None, reason="LibreOffice is not installed")
def test_a_legacy_doc_is_converted_by_libreoffice(tmp_path):
    import subprocess

    (tmp_path / "r.docx").write_bytes(make_docx(KEELUNG))
    subprocess.run([doc_module.soffice(), "--headless", "--convert-to", "doc", "--outdir", str(tmp_path),
                    str(tmp_path / "r.docx")], check=True, capture_output=True, timeout=120)
    assert "八代市" in extract((tmp_path / "r.doc").read_bytes(), "r.doc")


def test_text_beyond_the_limit_is_refused_quickly(monkeypatch):
    monkeypatch.setenv("JIAOLIU_MAX_TEXT_CHARS", "1000")
    with pytest.raises(UnreadableReport, match="JIAOLIU_MAX_TEXT_CHARS"):
        extract(("交流" * 600).encode("utf-8"), "long.txt")
    with pytest.raises(UnreadableReport, match="JIAOLIU_MAX_TEXT_CHARS"):
        extract(make_pdf(KEELUNG), "long.pdf")


def test_a_50_mb_text_file_is_refused_and_a_50_mb_pdf_of_photos_is_read():
    fifty = 50 * 2**20
    text = ("交流" * (fifty // 6 + 1)).encode("utf-8")
    assert len(text) >= fifty
    with pytest.raises(UnreadableReport, match="JIAOLIU_MAX_TEXT_CHARS"):
        extract(text, "huge.txt")
    pdf = make_pdf(KEELUNG, images=11)
    assert len(pdf) >= fifty
    assert "八代市" in extract(pdf, "photos.pdf")


# --- ZIP bombs (issue 10): a small DOCX or ODT whose XML unpacks to far more than a report --------

WORD = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
OPEN_DOCUMENT = ('xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
                 'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"')


def _docx_of(body: str) -> bytes:
    xml = f"<w:document {WORD}><w:body>{body}</w:body></w:document>".encode()
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", xml)
    return out.getvalue()


def _odt_of(body: str) -> bytes:
    xml = f"<office:document-content {OPEN_DOCUMENT}><office:body><office:text>{body}"
    xml += "</office:text></office:body></office:document-content>"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", xml.encode())
    return out.getvalue()


def _peak_bytes(work) -> int:
    """The most memory Python held at once while `work()` ran."""
    tracemalloc.start()
    try:
        work()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_a_zip_bomb_of_text_is_refused_before_it_is_unpacked():
    bomb = _docx_of(f"<w:p><w:r><w:t>{'市' * (50 * 2**20 // 3)}</w:t></w:r></w:p>")  # 50 MB of XML
    assert len(bomb) < 100_000

    def refuse():
        with pytest.raises(UnreadableReport, match=re.escape(
                "bomb.docx: the DOCX file's word/document.xml unpacks to more than 4,000,000 characters; "
                "too large for a report of at most 2,000,000 characters (JIAOLIU_MAX_TEXT_CHARS)")):
            extract(bomb, "bomb.docx")

    assert _peak_bytes(refuse) < 40 * 2**20  # unpacked whole, the XML alone is 50 MB


@pytest.mark.parametrize("name,bomb,reason", [
    ("paragraphs.docx", _docx_of("<w:p/>" * 500_000), "unpacks to more than 100,000 XML elements"),
    ("paragraphs.odt", _odt_of("<text:p/>" * 400_000), "unpacks to more than 100,000 XML elements"),
    ("text.odt", _odt_of(f"<text:p>{'市' * 100_000}</text:p>"), "unpacks to more than 20,000 characters"),
    ("spaces.odt", _odt_of(f"<text:p text:x='{' ' * 5 * 2**20}'>交流</text:p>"),  # past 4 MB unpacked
     f"unpacks to {5 * 2**20 + 262:,} bytes"),
])
def test_a_zip_bomb_is_refused_at_limits_that_follow_the_text_limit(monkeypatch, name, bomb, reason):
    monkeypatch.setenv("JIAOLIU_MAX_TEXT_CHARS", "10000")
    with pytest.raises(UnreadableReport, match=re.escape(reason) + ".*JIAOLIU_MAX_TEXT_CHARS.*ZIP bomb"):
        extract(bomb, name)


def test_an_odt_mimetype_that_unpacks_to_megabytes_is_not_read_whole():
    bomb = _zip({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet" + b" x" * 25 * 2**20})

    def refuse():
        with pytest.raises(UnreadableReport, match="another kind"):
            sniff(bomb, "bomb.odt")

    assert _peak_bytes(refuse) < 2**20


def _one_dense_page(lines: int, per_line: int) -> bytes:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=(2000, 2000), invariant=1)
    pdf.setFont("MSung-Light", 4)
    for n in range(lines):
        pdf.drawString(10, 1990 - 4.5 * n, "交流" * (per_line // 2))
    pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_a_pdf_page_with_more_text_than_the_limit_is_not_read_to_its_end(monkeypatch):
    import pypdfium2.raw as pdfium_c

    monkeypatch.setenv("JIAOLIU_MAX_TEXT_CHARS", "1000")
    page = _one_dense_page(lines=400, per_line=100)  # 40,000 characters on one page
    read = []
    get_unicode = pdfium_c.FPDFText_GetUnicode
    monkeypatch.setattr(pdfium_c, "FPDFText_GetUnicode", lambda raw, i: read.append(i) or get_unicode(raw, i))
    with pytest.raises(UnreadableReport, match=re.escape("dense.pdf: more text than the limit of 1,000")):
        extract(page, "dense.pdf")
    assert len(read) < 2000


# --- numbered lists: the labels the word processor draws ---------------------------------

_ODT_STYLES = ('xmlns:style="urn:oasis:names:tc:opendocument:xmlns:style:1.0" '
               'xmlns:fo="urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"')
_LIST_STYLE = (  # as Word's ODT export writes a rule's points: 一、 and under them （一）
    '<text:list-style style:name="WWNum4">'
    '<text:list-level-style-number text:level="1" style:num-suffix="、" style:num-format="一, 二, 三, ..."/>'
    '<text:list-level-style-number text:level="2" style:num-prefix="（" style:num-suffix="）" '
    'style:num-format="一, 二, 三, ..."/></text:list-style>'
    '<text:list-style style:name="Bullets"><text:list-level-style-bullet text:level="1" text:bullet-char="•"/>'
    '</text:list-style>')


def _numbered_odt(body: str) -> bytes:
    content = (f"<office:document-content {OPEN_DOCUMENT} {_ODT_STYLES}><office:automatic-styles>{_LIST_STYLE}"
               f"</office:automatic-styles><office:body><office:text>{body}</office:text></office:body>"
               "</office:document-content>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.text", zipfile.ZIP_STORED)
        archive.writestr("content.xml", content.encode())
    return out.getvalue()


def _items(*texts: str) -> str:
    return "".join(f"<text:list-item><text:p>{t}</text:p></text:list-item>" for t in texts)


@pytest.mark.parametrize("body, expected", [
    (f'<text:list text:style-name="WWNum4">{_items("目的。", "範圍。")}</text:list>', ["一、目的。", "二、範圍。"]),
    # a list that goes on after a plain paragraph continues the numbering, as the file says
    (f'<text:list text:style-name="WWNum4">{_items("甲。")}</text:list><text:p>說明。</text:p>'
     f'<text:list text:continue-numbering="true" text:style-name="WWNum4">{_items("乙。")}</text:list>',
     ["一、甲。", "說明。", "二、乙。"]),
    # one that does not say so starts again
    (f'<text:list text:style-name="WWNum4">{_items("甲。")}</text:list>'
     f'<text:list text:style-name="WWNum4">{_items("乙。")}</text:list>', ["一、甲。", "一、乙。"]),
    # points under a point: (一), (二), restarting under the next point
    ('<text:list text:style-name="WWNum4"><text:list-item><text:p>任務如下：</text:p><text:list>'
     f'{_items("協調。", "認定。")}</text:list></text:list-item><text:list-item><text:p>委員。</text:p><text:list>'
     f'{_items("專家。")}</text:list></text:list-item></text:list>',
     ["一、任務如下：", "（一）協調。", "（二）認定。", "二、委員。", "（一）專家。"]),
    # the eleventh point, a start value, bullets (no label)
    (f'<text:list text:style-name="WWNum4">{_items(*"abcdefghij")}<text:list-item text:start-value="11">'
     '<text:p>k</text:p></text:list-item></text:list>', [*(f"{n}、{c}" for n, c in zip(
         "一二三四五六七八九十", "abcdefghij", strict=True)), "十一、k"]),
    (f'<text:list text:style-name="Bullets">{_items("甲。")}</text:list>', ["甲。"]),
])
def test_odt_numbered_points_keep_their_labels(body, expected):
    assert extract(_numbered_odt(body), "rules.odt").strip().split("\n\n") == expected


_NUMBERING = (  # a rule's points as Word numbers them: 一、 and under them （一）; and plain 1.
    f'<w:numbering {WORD}>'
    '<w:abstractNum w:abstractNumId="0">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="taiwaneseCountingThousand"/><w:lvlText w:val="%1、"/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="taiwaneseCountingThousand"/><w:lvlText w:val="（%2）"/></w:lvl>'
    '</w:abstractNum>'
    '<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1."/></w:lvl><w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%1.%2"/></w:lvl></w:abstractNum>'
    '<w:abstractNum w:abstractNumId="2"><w:lvl w:ilvl="0"><w:numFmt w:val="bullet"/><w:lvlText w:val="•"/></w:lvl>'
    '</w:abstractNum>'
    '<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>'
    '<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>'
    '<w:num w:numId="3"><w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="1"/>'
    '</w:lvlOverride></w:num>'
    '<w:num w:numId="4"><w:abstractNumId w:val="2"/></w:num>'
    '</w:numbering>')


def _point(text: str, num: int, level: int = 0) -> str:
    return (f'<w:p><w:pPr><w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num}"/></w:numPr></w:pPr>'
            f'<w:r><w:t>{text}</w:t></w:r></w:p>')


def _numbered_docx(body: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", f"<w:document {WORD}><w:body>{body}</w:body></w:document>")
        archive.writestr("word/numbering.xml", _NUMBERING)
    return out.getvalue()


@pytest.mark.parametrize("body, expected", [
    (_point("目的。", 1) + _point("任務如下：", 1) + _point("協調。", 1, 1) + _point("認定。", 1, 1)
     + "<w:p><w:r><w:t>說明。</w:t></w:r></w:p>" + _point("委員。", 1) + _point("專家。", 1, 1),
     ["一、目的。", "二、任務如下：", "（一）協調。", "（二）認定。", "說明。", "三、委員。", "（一）專家。"]),
    # 1. 1.1 1.2 2.; a num that restarts its definition's count (startOverride); bullets have no label
    (_point("a", 2) + _point("b", 2, 1) + _point("c", 2, 1) + _point("d", 2) + _point("e", 3) + _point("f", 4),
     ["1.a", "1.1b", "1.2c", "2.d", "1.e", "f"]),
    # an empty point still counts; a paragraph with numId 0 is not numbered
    (_point("甲", 1) + '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr></w:pPr></w:p>'
     + _point("丙", 1) + _point("丁", 0), ["一、甲", "三、丙", "丁"]),
])
def test_docx_numbered_points_keep_their_labels(body, expected):
    assert extract(_numbered_docx(body), "rules.docx").strip().split("\n\n") == expected


# --- what the layout put there, taken out ----------------------------------------------------


def _pdf_pages(pages: list[list[tuple[float, float, float, str]]], unit_font: bool = False) -> bytes:
    """A PDF of `pages`, each a list of (x, y, size, text); with `unit_font`, every string is
    set in a 1-point font scaled up by the text matrix, as some producers write."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("MSung-Light"))
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4, invariant=1)
    for lines in pages:
        for x, y, size, text in lines:
            if unit_font:
                pdf.saveState()
                pdf.translate(x, y)
                pdf.scale(size, size)
                pdf.setFont("MSung-Light", 1)
                pdf.drawString(0, 0, text)
                pdf.restoreState()
            else:
                pdf.setFont("MSung-Light", size)
                pdf.drawString(x, y, text)
        pdf.showPage()
    pdf.save()
    return out.getvalue()


LINE = "臺北市與日本松山市締結友誼市，雙方將在觀光文化教育等方面持續深化交流合作並推動青年互訪計畫"


def _page(number: int, body: list[str]) -> list[tuple[float, float, float, str]]:
    # a running header, the body, the page number at the foot
    return [(60, 800, 9, "行政院施政報告"), *((60, 760 - 16 * i, 10.5, line) for i, line in enumerate(body)),
            (290, 40, 9, str(number))]


def test_running_headers_and_page_numbers_are_taken_out_and_a_sentence_rejoined():
    first, second = LINE[:30], LINE[30:]
    pages = [_page(n, [LINE[:40]] * 3 + ([first] if n == 2 else [])) for n in range(1, 5)]
    pages[2] = _page(3, [second + "。", LINE[:40]])
    text = extract(_pdf_pages(pages), "report.pdf")
    assert "行政院施政報告" not in text and "\n2\n" not in text
    assert first + second in text  # the sentence crossing the page is one again


def test_a_unit_font_scaled_by_the_text_matrix_still_reads_in_lines():
    page = [(60, 780, 18, "桃園市政府第 1 次市政會議紀錄"), (60, 750, 12, "時間：103 年 12 月 31 日上午 9 時")]
    text = extract(_pdf_pages([page], unit_font=True), "minutes.pdf")
    assert text.splitlines()[0].lstrip("# ") == "桃園市政府第 1 次市政會議紀錄"  # one line, not one a character
    assert "時間：103 年 12 月 31 日上午 9 時" in text


def test_letter_spacing_between_cjk_characters_is_taken_out():
    page = [(60, 780, 10.5, "2. 藥 液 調 配 後 24 小 時內，可以連續使用三次。"), (60, 760, 10.5, "院 長 卓 榮 泰")]
    text = extract(_pdf_pages([page]), "pests.pdf")
    assert "藥液調配後 24 小時內" in text and "院長卓榮泰" in text


def test_a_pdf_with_a_web_page_appended_after_its_end_is_read():
    data = _pdf_pages([[(60, 780, 10.5, LINE)]]) + b"\n<html><body>" + b"x" * 80_000 + b"</body></html>\n"
    assert LINE in extract(data, "appended.pdf")


@pytest.mark.parametrize("name, data", [
    ("minutes.txt", "會議紀\uf93f：不快也\uf967慢".encode()),
])
def test_compatibility_ideographs_read_as_the_characters_people_type(name, data):
    assert extract(data, name) == "會議紀錄：不快也不慢"


def test_contents_lines_are_never_joined_as_wrapped_lines():
    entries = [f"第{n}章、考核{'項目' * n} {'.' * (60 - 4 * n)} {n}" for n in range(1, 5)]
    text = extract(_pdf_pages([[(60, 780 - 16 * i, 10.5, e) for i, e in enumerate(entries)]]), "plan.pdf")
    assert [line.split(" ")[0] for line in text.split("\n") if line.strip()] == [e.split(" ")[0] for e in entries]


def test_a_letters_binding_line_is_taken_out():
    page = [(20, 600, 12, "裝"), (20, 500, 12, "訂"), (20, 400, 12, "線"), (60, 780, 10.5, "第1頁，共2頁"),
            (60, 760, 14, "臺北市大安區健康服務中心 函"), (60, 740, 10.5, "主旨：檢送病媒蚊密度調查結果，請查照。")]
    text = extract(_pdf_pages([page]), "letter.pdf")
    assert not any(line.strip(" #") in ("裝", "訂", "線") for line in text.splitlines())
    assert "主旨：檢送病媒蚊密度調查結果，請查照。" in text


def test_a_letters_fields_in_large_type_are_not_headings():
    page = [(60, 780, 22, "臺北市大安區健康服務中心 函"), (60, 750, 16, "承辦人：林亞璇"), (60, 730, 16, "電話：27335831"),
            *((60, 700 - 12 * i, 9, f"第{i}列\t調查結果\t{i * 3}") for i in range(40))]
    text = extract(_pdf_pages([page]), "letter.pdf")
    assert "\n承辦人：林亞璇" in "\n" + text and "# 承辦人" not in text and "# 電話" not in text
