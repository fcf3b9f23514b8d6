"""Markup a conversion left in a plain-text report, taken out at ingestion.

A table exported from a web page keeps its cells' HTML paragraphs as literal tags
(the Taichung report's 新聞輿情蒐集: `<p>中市府參訪姊妹市宮崎縣受熱情歡迎…</p> <p>2025.09.09…</p>`).
They are nobody's words: the reader, the snippets and the search see the text
without them. Only paragraph and line-break tags are taken out, and a cell's
paragraphs stay on the cell's line (a space between them), so a table row stays one row.

>>> strip_conversion_markup("<p>宮崎縣</p> <p>2025.09.09</p>\\t<P class='x'>電波新聞</P><br/>完")
'宮崎縣 2025.09.09\\t電波新聞 完'
>>> strip_conversion_markup("a <b> tag stays; 1 < 2 > 0")
'a <b> tag stays; 1 < 2 > 0'
"""

from __future__ import annotations

import re

_TAG = r"(?:\s[^<>\n]*)?>"  # the rest of a tag: attributes on its line, then >
_BETWEEN = re.compile(rf" *</p{_TAG} *<p{_TAG} *|<br\s*/?>", re.IGNORECASE)  # not across a tab: that is a cell
_EDGE = re.compile(rf"</?p{_TAG}", re.IGNORECASE)


def strip_conversion_markup(text: str) -> str:
    if "<" not in text:
        return text
    return _EDGE.sub("", _BETWEEN.sub(" ", text))
