"""One fold, applied to indexed text and to queries alike.

The fold works character by character (plus same-length contextual pairs)
and never changes the length of a string, so a character offset in the
folded text is the same offset in the original: snippets and highlights are
cut from the original text at the positions where the folded text matched.

>>> fold("台中市ＭＯＵ２０２５、熊本県の姉妹都市")
'臺中市mou2025、熊本縣の姊妹都市'

What is folded, and why only this:
- full width → half width, upper → lower case (NFKC where it gives one char);
- 台 → 臺: 台 is the everyday form of 臺 in every place and agency name;
- Japanese shinjitai (and the simplified forms they share) → Traditional:
  県→縣, 駅→驛, 経→經, 会→會, 姉→姊, 産→產 … Every source character here is
  absent from Big5, the Taiwanese character set, so no Traditional-Chinese
  text is changed by it (tests check this); the few exceptions are listed in
  `ALSO_FOLDED` with the reason. OpenCC's conversions are NOT run over
  reports: its Japanese table changes hundreds of characters of Traditional
  text (為→爲, 並→竝), and simplified→traditional turns 了 into 瞭.
- 姐妹 → 姊妹: 姐 means sister only there (小姐 stays).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from functools import lru_cache

# Japanese-only (and shared simplified) forms → the Traditional character.
_SHINJITAI = (
    "会會 県縣 駅驛 広廣 経經 済濟 沢澤 浜濱 桜櫻 関關 竜龍 辺邊 営營 発發 鉄鐵 総總 労勞 姉姊 産產 "
    "検檢 険險 験驗 戦戰 様樣 楽樂 気氣 児兒 図圖 学學 国國 団團 区區 実實 売賣 観觀 対對 徳德 恵惠 "
    "歳歲 単單 専專 挙舉 来來 黒黑 将將 条條 蔵藏 斎齋 歩步 渉涉 滝瀧 鉱礦 薬藥 読讀 続續 覧覽 顔顏 "
    "転轉 満滿 権權 歴歷 暦曆 圏圈 郷鄉 税稅 説說 脱脫 尽盡 変變 応應 両兩 仏佛 価價 剤劑 壊壞 拡擴 "
    "灯燈 焼燒 畳疊 縄繩 亜亞 悪惡 圧壓 囲圍 隠隱 栄榮 駆驅 径徑 継繼 軽輕 剣劍 顕顯 効效 雑雜 歯齒 "
    "湿濕 寿壽 収收 従從 渋澀 獣獸 縦縱 粛肅 処處 奨獎 乗乘 浄淨 剰剩 嬢孃 譲讓 醸釀 寝寢 粋粹 酔醉 "
    "穂穗 随隨 枢樞 声聲 静靜 窃竊 摂攝 浅淺 践踐 銭錢 潜潛 繊纖 禅禪 双雙 捜搜 装裝 騒騷 属屬 帯帶 "
    "滞滯 担擔 胆膽 弾彈 遅遲 昼晝 鋳鑄 聴聽 逓遞 点點 当當 盗盜 闘鬥 独獨 弐貳 悩惱 脳腦 廃廢 拝拜 "
    "麦麥 髪髮 抜拔 蛮蠻 払拂 訳譯 揺搖 謡謠 頼賴 乱亂 猟獵 緑綠 涙淚 塁壘 励勵 礼禮 霊靈 齢齡 恋戀 "
    "炉爐 楼樓 録錄 湾灣 毎每 宝寶 没沒 庁廳"
)
# Pairs whose first character IS in Big5, folded all the same, with the reason.
ALSO_FOLDED = {
    "台": "臺",  # the everyday form of 臺 in every name
    "週": "周",  # 55週年 / 55周年, 週末 / 周末: the same word either way
    "万": "萬",  # Japanese and casual writing of 萬 (1万 5千)
    "与": "與",  # Japanese form
    "豊": "豐",  # Japanese form (豊田)
    "恒": "恆",  # variant of 恆
    "証": "證",  # Japanese form (証明書)
}
VARIANTS: dict[str, str] = dict(pair for pair in _SHINJITAI.split()) | ALSO_FOLDED
# Same-length replacements that depend on the neighbour (after the character fold).
_CONTEXT = {"姐妹": "姊妹"}
_CONTEXT_RE = re.compile("|".join(map(re.escape, _CONTEXT)))

# Changes whenever the fold does, so indexes and cached dictionaries made with
# another fold are rebuilt.
FOLD_SIGNATURE = hashlib.sha256(repr((sorted(VARIANTS.items()), sorted(_CONTEXT.items()))).encode()).hexdigest()[:12]


@lru_cache(maxsize=65536)
def fold_char(char: str) -> str:
    """Fold one character: variant pairs, full width to half width, case.

    NFKC is used only where it gives a single character (Ａ→a, ２→2, 　→ space);
    characters it would expand (㈱ → (株)) are kept, to keep offsets aligned.
    """
    char = VARIANTS.get(char, char)
    compat = unicodedata.normalize("NFKC", char)
    if len(compat) == 1:
        char = VARIANTS.get(compat, compat)
    lower = char.lower()
    return lower if len(lower) == 1 else char


class _FoldTable(dict):
    """code point → folded character, filled on first sight: str.translate over it is
    5× faster than joining fold_char per character (the search folds every hit's text)."""

    def __missing__(self, code: int) -> str:
        folded = self[code] = fold_char(chr(code))
        return folded


_FOLD_TABLE = _FoldTable()


def fold(text: str) -> str:
    """Fold a whole string; `len(fold(s)) == len(s)` always."""
    folded = text.translate(_FOLD_TABLE)
    if "姐" in folded:
        folded = _CONTEXT_RE.sub(lambda m: _CONTEXT[m.group()], folded)
    return folded


# The same texts are folded again and again: a hit's text search after search, a passage for
# its partners and then for its agreements at ingestion.
fold_cached = lru_cache(maxsize=4096)(fold)


def fold_tai(text: str) -> str:
    """Only the 台 → 臺 rule of `fold` (place names; keeps everything else as written):
    台中市 -> 臺中市."""
    return text.replace("台", "臺")
