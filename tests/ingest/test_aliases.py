"""Aliases learned from a report's own text: each rule, each rejection, and the bundled reports."""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from indexer.ingest.aliases import Alias, Occurrences, find_aliases, latin_initials

CORPUS = Path(__file__).resolve().parents[2] / "corpus"


def pairs(text: str) -> list[tuple[str, str, str]]:
    return [(a.short, a.full, a.kind) for a in find_aliases(text)]


@pytest.mark.parametrize(
    "text,expected",
    [
        # CJK abbreviation defined in parentheses, both ways round, with or without 以下簡稱
        ("本市與日本經濟團體連合會（經團連）簽署協議。", ("經團連", "日本經濟團體連合會")),
        ("拜會日本經濟團體連合會（以下簡稱經團連），", ("經團連", "日本經濟團體連合會")),
        ("拜會經團連（日本經濟團體連合會）。", ("經團連", "日本經濟團體連合會")),
        ("與「日華懇談會」(以下簡稱日華懇)進行早餐會", ("日華懇", "日華懇談會")),
        ("出席財團法人台灣經濟研究院(簡稱台經院)會議", ("台經院", "財團法人台灣經濟研究院")),
        # Latin initials, both ways round, with full- or half-width parentheses
        ("參訪 Fukuoka Growth Next（FGN）新創基地", ("FGN", "Fukuoka Growth Next")),
        ("參訪 Fukuoka Growth Next (FGN) 新創基地", ("FGN", "Fukuoka Growth Next")),
        ("參訪 FGN（Fukuoka Growth Next）新創基地", ("FGN", "Fukuoka Growth Next")),
        ("出席 Asia Pacific Cities Summit（APCS）", ("APCS", "Asia Pacific Cities Summit")),
        ("加入 Local Governments for Sustainability（LGS）", ("LGS", "Local Governments for Sustainability")),
        # Latin initials without parentheses, when the acronym is used elsewhere
        ("考察Fukuoka Growth Next新創基地。FGN 提供簽證協助", ("FGN", "Fukuoka Growth Next")),
        # a CJK term and an acronym next to each other
        ("倡議的綠色轉型（GX）", ("GX", "綠色轉型")),
        ("簽訂友好交流確認書(MOU)，", ("MOU", "友好交流確認書")),
        ("獲得JAS(日本農林規格)認證", ("JAS", "日本農林規格")),
        ("正式簽署「木材利用合作備忘錄」MOU，", ("MOU", "木材利用合作備忘錄")),
    ],
)
def test_abbreviations(text, expected):
    assert pairs(text) == [(*expected, "abbreviation")]


@pytest.mark.parametrize(
    "text",
    [
        "1.參加八王子祭慶典活動。（認養局處：民政局）",  # a note, not a name
        "(三)其他重要姊妹市交流活動",  # a heading number
        "並於本（111）年9月2日出發",  # a year
        "高雄市政府行政暨國際處（國際科）",  # 科 is not in the office's name: a sub-unit, not an abbreviation
        "日本地方自治體(市町村)首長",  # a gloss, not an abbreviation
        "熊本縣（熊本）",  # the short form is part of the full one: nothing to learn
        "考察 Fukuoka Growth Next 新創基地",  # no acronym anywhere
        "考察 Fukuoka Growth Next Center，FGN 很大",  # the phrase is longer than the acronym
        "DAVID FLORES TUMULAK 參加研討會",  # all-caps words are no definition
        "與「創業家任意通護照Globe Pass」 MOU",  # the quoted term is not all CJK
        "參觀 UMK 住宅展示場與新創基地 FGN",  # an acronym after a space defines nothing
        "利物浦(Liverpool)",  # a translation, not an abbreviation
        "AI（人工）",  # too short to be the expansion
    ],
)
def test_ordinary_parentheses_are_not_aliases(text):
    assert find_aliases(text) == []


@pytest.mark.parametrize(
    "text,expected",
    [
        ("蔣萬安市長偕同訪團抵達。蔣市長表示", ("蔣市長", "蔣萬安市長")),
        ("八代市中村博生市長來訪，中村市長提到", ("中村市長", "中村博生市長")),
        ("經濟發展局張峯源局長率團，張局長表示", ("張局長", "張峯源局長")),
        ("由黃駿逸秘書長率團。本市由黃秘書長代表", ("黃秘書長", "黃駿逸秘書長")),  # not 由黃
        ("與歐陽娜娜部長會面，歐陽部長表示", ("歐陽部長", "歐陽娜娜部長")),  # a compound surname
        ("成松 由紀夫議長出席。成松議長致詞", ("成松議長", "成松 由紀夫議長")),  # a Japanese name with a space
        # title before the name
        ("拜會副知事佐藤弘之。佐藤副知事表示", ("佐藤副知事", "佐藤弘之副知事")),
        ("拜會東京都知事小池百合子，小池知事表示", ("小池知事", "小池百合子知事")),
        ("拜會日本前首相麻生太郎，麻生前首相提到", ("麻生前首相", "麻生太郎前首相")),
        # the name's right edge from its repetitions: 吉村洋文 recurs, 吉村洋文會 does not
        ("知事吉村洋文會面。知事吉村洋文來訪。吉村知事表示", ("吉村知事", "吉村洋文知事")),
        # the next title ends the name: 古屋圭司, not 古屋圭司眾
        ("會長古屋圭司眾議員致詞。古屋會長表示", ("古屋會長", "古屋圭司會長")),
    ],
)
def test_references(text, expected):
    assert pairs(text) == [(*expected, "reference")]


@pytest.mark.parametrize(
    "text",
    [
        "陳其邁市長與陳菊市長合影，陳市長表示",  # 陳市長 fits two people: dropped
        "蔣萬安市長偕同訪團抵達。",  # no short form used
        "蔣市長表示",  # no full name given
        "中市經發局長張峯源。經發局長表示",  # 發局長 is the tail of 經發局長, not a surname reference
        "聯合國大學校長出席。中華學校校長王東生",  # 學校長 is the tail of 大學校長
        "經團連委員長飯島彰己。經團連新創委員長出雲充",  # 連委員長 is the tail of 經團連委員長
        "八代市市長組團訪問本市，八市長",  # 八代 is a place (市), not a name
        "拜會東京都知事小池百合子致詞，小池知事表示",  # one mention, no edge: 小池百合子 or 小池百合子致?
    ],
)
def test_references_rejected(text):
    assert [a for a in find_aliases(text) if a.kind == "reference"] == []


def test_a_title_after_a_surname_reference_is_not_a_title_before_a_name():
    # In 蔣市長出席大會 the title belongs to 蔣; 出席大 is no one's name.
    text = "蔣萬安市長抵達。蔣市長出席大會，出席市長峰會。"
    assert pairs(text) == [("蔣市長", "蔣萬安市長", "reference")]


def test_alias_records_evidence():
    (alias,) = find_aliases("拜會日本經濟團體連合會（以下簡稱經團連）。")
    assert alias == Alias("經團連", "日本經濟團體連合會", "abbreviation", "日本經濟團體連合會（以下簡稱經團連）")
    (alias,) = find_aliases("拜會副知事佐藤弘之。佐藤副知事表示")
    assert alias.evidence == "副知事佐藤弘之 … 佐藤副知事"


# Reviewed by eye against the reports; every pair here is right for its report.
CORPUS_ALIASES = {
    "kaohsiung-2014-h2-international-affairs.txt": [],
    "kaohsiung-2022-pandemic-city-diplomacy.txt": [],
    "keelung-2022-yatsushiro-visit.txt": [
        ("MOU", "友好交流確認書", "abbreviation"),
        ("中村市長", "中村博生市長", "reference"),
        ("黃秘書長", "黃駿逸秘書長", "reference"),
        ("成松議長", "成松 由紀夫議長", "reference"),
        ("黃秘書長駿逸", "黃駿逸", "split name"),  # 姓名職稱：黃秘書長駿逸等12人
    ],
    "taichung-2025-kyushu-startup-exchange.txt": [
        ("JAS", "日本農林規格", "abbreviation"),
        ("SGEC", "可持續森林認證", "abbreviation"),
        ("MOU", "木材利用合作備忘錄", "abbreviation"),
        ("FGN", "Fukuoka Growth Next", "abbreviation"),
        ("張局長", "張峯源局長", "reference"),
        ("林所長", "林志鴻所長", "reference"),
        ("篠原局長", "篠原英幸局長", "reference"),
        ("前田局長", "前田隆局長", "reference"),
    ],
    "taipei-2024-sushi-tech-tokyo.txt": [
        ("日華懇", "日華懇談會", "abbreviation"),
        ("經團連", "日本經濟團體連合會", "abbreviation"),
        ("GX", "綠色轉型", "abbreviation"),
        ("DX", "數位轉型", "abbreviation"),
        ("蔣市長", "蔣萬安市長", "reference"),
        ("小池知事", "小池百合子知事", "reference"),
        ("吉村知事", "吉村洋文知事", "reference"),
        ("麻生前首相", "麻生太郎前首相", "reference"),
        ("鈴木局長", "鈴木貴子局長", "reference"),
        ("高島市長", "高島宗一郎市長", "reference"),
        ("古屋會長", "古屋圭司會長", "reference"),
        ("飯島委員長", "飯島彰己委員長", "reference"),
    ],
}


def test_every_report_is_reviewed():
    assert sorted(p.name for p in CORPUS.glob("*.txt")) == sorted(CORPUS_ALIASES)


@pytest.mark.parametrize("name", sorted(CORPUS_ALIASES))
def test_corpus_aliases(name):
    text = (CORPUS / name).read_text(encoding="utf-8")
    aliases = find_aliases(text)
    print("\n".join(f"{a.short} → {a.full} ({a.kind}): {a.evidence}" for a in aliases))
    assert [(a.short, a.full, a.kind) for a in aliases] == CORPUS_ALIASES[name]
    for alias in aliases:  # the short form is used, and the evidence is text of the report
        assert alias.short in text
        assert all(part in text for part in alias.evidence.split(" … "))


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="蔣萬安市長局張峯源經團連日本濟體合會（）()「」以下簡稱FGNMOU Fukoa Growth Next、，。", max_size=60))
def test_any_text_gives_well_formed_aliases(text):
    for alias in find_aliases(text):
        assert alias.kind in {"abbreviation", "reference", "split name"}
        assert alias.short and alias.full and alias.short != alias.full
        assert alias.short in text


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet="陳王議員市長說請、。 　a", max_size=80),
       needle=st.text(alphabet="陳王議員市長說 ", min_size=1, max_size=5))
def test_occurrences_count_as_str_count_does(text, needle):
    """The bigram index counts like `str.count`: left to right, without overlap."""
    assert Occurrences(text).count(needle) == text.count(needle)
    assert Occurrences(text).starts(needle) == [m.start() for m in re.finditer(re.escape(needle), text)]


def _latin_initials_by_search(text: str):
    """The rule as it was first written, one search per acronym (quadratic): the reference."""
    acronyms = {m.group() for m in re.finditer(r"(?<![A-Za-z])[A-Z]{3,6}(?![A-Za-z])", text)}
    for acronym in sorted(acronyms):
        words = r"\s+".join(f"{c}[a-z]+" for c in acronym)
        phrase = re.search(rf"(?<![A-Za-z])(?<![A-Z][a-z] )(?<![A-Z][a-z]{{2}} ){words}(?![A-Za-z])(?!\s+[A-Z])", text)
        if phrase and not re.search(r"[A-Z][a-z]+\s+$", text[: phrase.start()]):
            full = " ".join(phrase.group().split())
            yield Alias(acronym, full, "abbreviation", f"{full} … {acronym}")


@settings(max_examples=1000, deadline=None)
@given(st.lists(st.tuples(
    st.sampled_from(["Fukuoka Growth Next", "Apple Banana Cherry", "Apple  Banana\nCherry Dates", "FGN", "ABC", "ABCD",
                     "Go", "Ab", "Fuk", "NEXT", "of", "F", "GxNext", "市長", "Growth", "x"]),
    st.sampled_from(["", " ", "  ", "\n", "、", "（", "）"])), max_size=12))
def test_latin_initials_read_in_one_pass_as_one_search_per_acronym(words):
    text = "".join(word + gap for word, gap in words)
    assert list(latin_initials(text)) == list(_latin_initials_by_search(text))


@pytest.mark.parametrize("text, expected", [
    ("主　　席：陳議長幸進　　　　　記錄：陳奕君", [("陳議長幸進", "陳幸進")]),
    ("\u3000\u3000蔡議員錦賢、游議員輝廷等6位議員聯合質詢", [("蔡議員錦賢", "蔡錦賢"), ("游議員輝廷", "游輝廷")]),
    ("姓名職稱：黃秘書長駿逸等12人", [("黃秘書長駿逸", "黃駿逸")]),
    ("經朱市長立倫、趙局長紹廉、張局長延光答復", [("趙局長紹廉", "趙紹廉")]),  # 經朱…, …答: running text
    # running text: the title is followed by a verb, not a given name
    ("希望能跟蔣市長共勉。", []), ("上午蔣市長赴東京。", []), ("；蔣市長提及擔任立委時", []),
    ("熊本縣日方代表分享", []), ("說局長的話。", []), ("任州長之", []),
    # a name that goes on past a hard wrap is not cut there
    ("　　蔡議員錦賢、游議員輝\n　　　廷、廖議員裕德", [("蔡議員錦賢", "蔡錦賢"), ("廖議員裕德", "廖裕德")]),
])
def test_names_with_a_title_written_inside(text, expected):
    assert [(a.short, a.full) for a in find_aliases(text) if a.kind == "split name"] == expected


@pytest.mark.parametrize("text, expected", [
    # a number's unit is not part of the name after it (PDF text spaces the number)
    ("出席第 28 屆國際檢察官協會(IAP)年會", [("IAP", "國際檢察官協會")]),
    ("於114年1月取得全國認證基金會(TAF)認證", [("TAF", "全國認證基金會")]),
    ("推動 300 個非政府組織（NGO）參與", [("NGO", "非政府組織")]),
    # a verb before the name is not part of it
    ("並參考國際電信聯合會(ITU)無線電規則", [("ITU", "國際電信聯合會")]),
    ("持續強化客戶身分確認(KYC)措施", [("KYC", "客戶身分確認")]),
])
def test_the_left_edge_of_a_name_before_its_acronym(text, expected):
    assert [(a.short, a.full) for a in find_aliases(text)] == expected


@pytest.mark.parametrize("text", [
    "請加入淡江促參教育訓練（LINE）群組",  # an app's name in parentheses
    "說明局長表示，說局長說得對",  # 說 is no one's surname
    "這樣代表什麼？這代表大家都同意。",
    "訂定高雄市消費者保護暫行辦法（如附件），請查照。",  # 如附件 abbreviates nothing
])
def test_words_that_only_look_like_aliases_on_real_text(text):
    assert find_aliases(text) == []


def test_a_defined_abbreviation_teaches_the_abbreviation_inside_it():
    # the name wraps at a line's end in the letter; 下稱 defines the short form
    text = "主旨：有關存放設施適用促進民間參與公共建設法施\n行細則（下稱促參法細則）疑義１案"
    assert [(a.short, a.full) for a in find_aliases(text)] == [
        ("促參法細則", "促進民間參與公共建設法施行細則"), ("促參法", "促進民間參與公共建設法")]
