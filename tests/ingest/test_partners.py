"""Partners: each passage's foreign partners, under one name with its country."""

from __future__ import annotations

import pytest

from indexer.ingest.partners import (
    KINDS,
    PARTNERS_SIGNATURE,
    default_gazetteer,
    partners_in,
    passage_partners,
    read_gazetteer,
)


def names(text: str) -> list[str]:
    return [p.name for p in partners_in(text)]


@pytest.mark.parametrize("text,expected", [
    # one name for every form: the city, its office, its port, its stem, romanised, Japanese forms
    ("八代市役所", ["八代市"]), ("八代港與基隆港簽訂為姊妹港", ["八代市"]), ("拜會八代", ["八代市"]),
    ("Yatsushiro City", ["八代市"]), ("熊本県知事", ["熊本縣"]), ("熊本县", ["熊本縣"]), ("熊本縣政府", ["熊本縣"]),
    ("ＹＡＴＳＵＳＨＩＲＯ", ["八代市"]),
    # the longest name wins where names overlap: 東京都 is not also 京都
    ("東京都知事小池百合子", ["東京都"]), ("京都市長", ["京都市"]),
    # a county written before its city only locates it
    ("熊本縣八代市", ["八代市"]), ("日本東京都八王子市", ["八王子市"]),
    # a place the gazetteer does not know, led by a country's name or a partner's
    ("荷蘭阿梅爾市市長", ["阿梅爾市"]), ("美國加州西柯汶納市", ["西柯汶納市"]), ("韓國忠清南道唐津市", ["唐津市"]),
    ("與南韓釜山市", ["釜山市"]),
    # a prefecture's stem before 市 is its city, even unlisted
    ("日本和歌山市議會", ["和歌山市"]),
    # a place the text introduces: with its own name in Latin letters, before its head's title,
    # as the other side of an agreement; its country the nearest named before it
    ("聖克里斯多福及尼維斯總理來訪，代表巴士底市(Basseterre)簽署", ["巴士底市"]),
    ("第二大城為格丁尼亞（Gdynia）市", ["格丁尼亞市"]), ("前往波蘭波美拉尼亞(Pomerania)省", ["波美拉尼亞省"]),
    ("捷克科研部長及烏斯季省省長會談", ["烏斯季省"]), ("臺南市與西柯汶納市討論締盟事宜", ["西柯汶納市"]),
    ("美國托倫斯市長陳光豪", ["托倫斯市"]), ("帛琉共和國科羅州(Koror)", ["科羅州"]),
    # … but not a person with a Latin name, nor a Taiwanese city, nor a council before a title
    ("葛力克(Karol Galek)率團", []), ("臺南市(Tainan)與", []), ("與臺中市締結", []), ("東京都議會\n\n蔣市長暨訪團", ["東京都"]),
    # a name a page break cut is one name
    ("捷克布爾\n\n諾市及波蘭格但斯克市", ["布爾諾市", "格但斯克市"]),
    # not partners: a number, an institution, a venue, a thing named after a place
    ("第八代接班人", []), ("東京大學", []), ("東京巨蛋", []), ("福岡國際機場", []), ("熊本熊", []),
    # not places: a ministry, a whole country, generic words, a person with a title, a market
    ("日本外務省", []), ("日本政府", []), ("日本各城市", []), ("日本姊妹市", []), ("美國陳光豪市長", []),
    ("日本傳統市場", []), ("日本九州進行市政參訪", []), ("臺北市與高雄市", []),
    # a Taiwanese district that shares a Japanese city's stem is not it
    ("臺北市松山區", []),
])
def test_partners_named(text, expected):
    assert names(text) == expected


def test_an_introduced_place_takes_the_country_named_before_it():
    [(name, country)] = [(p.name, p.country) for p in partners_in("聖克里斯多福及尼維斯總理見證巴士底市(Basseterre)簽約")]
    assert (name, country) == ("巴士底市", "聖克里斯多福及尼維斯")
    assert [p.country for p in partners_in("代表巴士底市(Basseterre)簽署")] == [""]  # none named: not known


def test_each_partner_has_a_country_and_a_kind():
    gazetteer = default_gazetteer()
    assert len(gazetteer.partners) > 250
    for partner in gazetteer.partners.values():
        assert partner.country and partner.kind in KINDS, partner
    assert gazetteer.partners["八代市"].country == "日本"
    assert [(p.name, p.country, p.kind) for p in partners_in("斯洛伐克布拉提斯拉瓦省")] == [
        ("布拉提斯拉瓦省", "斯洛伐克", "province")]


def test_most_named_first():
    assert names("福岡市、八代市。八代市與八代港") == ["八代市", "福岡市"]


def test_a_passage_naming_none_takes_its_headings():
    assert [p.name for p in passage_partners("參訪市役所並交換禮物。", ("貳、過程", "三、拜會八代市役所"))] == ["八代市"]
    assert [p.name for p in passage_partners("拜會福岡市。", ("三、拜會八代市役所",))] == ["福岡市"]
    assert passage_partners("交換禮物。", ("貳、過程",)) == ()


@pytest.mark.parametrize("line", [
    "八代市\t日本",  # no kind
    "八代市\t日本\tvillage",  # an unknown kind
    "\t日本\tcity",  # no name
])
def test_a_bad_gazetteer_line_is_named(line):
    with pytest.raises(ValueError, match="line 1"):
        read_gazetteer(line)


def test_a_partner_listed_twice_is_refused():
    with pytest.raises(ValueError, match="twice"):
        read_gazetteer("八代市\t日本\tcity\n八代市\t日本\tcity")


def test_the_signature_follows_the_gazetteers():
    assert len(PARTNERS_SIGNATURE) == 16


@pytest.mark.parametrize("text,expected", [
    ("八代" * 50_000, ["八代市"]),  # one name a hundred thousand times
    ("日本" + "阿" * 100_000 + "市", []),  # a country before an endless name: no place is that long
    ("美國" * 20_000, []),  # countries and nothing after
    ("東京都八王子市" * 10_000, ["八王子市"]),
])
def test_hostile_text(text, expected):
    """Long inputs: each place is looked at once (the scan jumps past a name it took)."""
    assert names(text) == expected
