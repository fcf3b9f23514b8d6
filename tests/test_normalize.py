"""The fold keeps lengths, so offsets in folded text are offsets in the original."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indexer.normalize import fold


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
    ],
)
def test_fold(text, expected):
    assert fold(text) == expected


@given(st.text())
def test_fold_keeps_length_and_is_idempotent(text):
    folded = fold(text)
    assert len(folded) == len(text)
    assert fold(folded) == folded
