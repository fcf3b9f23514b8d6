"""The fold keeps lengths, so offsets in folded text are offsets in the original."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.text.fold import ALSO_FOLDED, VARIANTS, fold


@pytest.mark.parametrize(
    "text,expected",
    [
        ("台中市", "臺中市"),
        ("ＭＯＵ", "mou"),
        ("２０２５年", "2025年"),
        ("SusHi Tech", "sushi tech"),
        ("（一）", "(一)"),
        ("　", " "),  # ideographic space
        ("㈱", "㈱"),  # NFKC would give three characters: kept as it is
        ("熊本県", "熊本縣"),
        ("株式会社", "株式會社"),
        ("日南駅", "日南驛"),
        ("経済", "經濟"),
        ("姉妹都市", "姊妹都市"),
        ("農林水産部", "農林水產部"),
        ("姐妹市", "姊妹市"),
        ("小姐", "小姐"),  # 姐 means sister only before 妹
        ("55週年", "55周年"),
        ("並以招商", "並以招商"),  # Traditional characters are never changed (OpenCC jp2t would: 竝)
        ("為了解", "為了解"),  # nor 為→爲, 了→瞭
        ("1 萬 5 仟片", "1 萬 5 仟片"),
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


def _in_big5(char: str) -> bool:
    try:
        char.encode("cp950")
    except UnicodeEncodeError:
        return False
    return True


@pytest.mark.parametrize("source,target", sorted(VARIANTS.items()))
def test_variant_pairs_never_touch_taiwanese_text(source, target):
    """Every folded character is outside Big5 (so absent from Traditional text),
    except the few listed with their reason; every target is a Big5 character."""
    assert _in_big5(target)
    assert not _in_big5(source) or source in ALSO_FOLDED


def test_fold_is_one_to_one_on_targets():
    targets = list(VARIANTS.values())
    assert not set(targets) & set(VARIANTS), "a target is itself folded again"


def test_the_corpus_changes_only_at_variant_characters():
    corpus = Path(__file__).resolve().parents[2] / "corpus"
    for path in corpus.glob("*.txt"):
        text = path.read_text(encoding="utf-8")
        changed = {a for a, b in zip(text, fold(text), strict=True) if a != b and "\u3400" <= a <= "\u9fff"}
        assert changed <= set(VARIANTS), (path.name, changed - set(VARIANTS))
@given(st.text())
def test_fold_keeps_length_and_is_idempotent(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded
