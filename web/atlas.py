"""The atlas pages' data: the city × partner matrix as geometry for an inline SVG, the
labels, and the JSON of /api/partners. Pure: the atlas in, plain data out; templates draw.

>>> m = matrix_chart({"cities": ["基隆市"], "partners": ["八代市"], "countries": ["日本"],
...                   "counts": [[32]], "agreed": [[True]]}, lambda p, c: "?partner=" + p)
>>> [(c["city"], c["partner"], c["count"], c["agreed"], c["r"]) for c in m["cells"]]
[('基隆市', '八代市', 32, True, 12)]
"""

from __future__ import annotations

import math
from collections.abc import Callable

from indexer.search.atlas import STATE_LABELS, Atlas, PartnerSummary

KIND_LABELS = {"city": "城市", "prefecture": "縣／府／都", "province": "省", "state": "州", "region": "地區"}
SORT_LABELS = {"passages": "段落最多", "name": "名稱", "country": "國家", "cities": "往來縣市最多", "latest": "最近年份"}
CELL = 30  # px per cell; the SVG scales down on a narrow screen
LABEL_WIDTH = 132  # room for a partner's name left of its row
HEAD_HEIGHT = 64  # room for a city's name (one character a line) above its column
MAX_RADIUS = 12


def matrix_chart(matrix: dict, link: Callable[[str, str], str]) -> dict | None:
    """Rows of partners, columns of Taiwanese cities; a circle where they meet, its area
    the passages, filled when an agreement is stated. None when there is nothing to draw."""
    if not matrix["partners"] or not matrix["cities"]:
        return None
    top = max(max(row) for row in matrix["counts"]) or 1
    cells = []
    for j, city in enumerate(matrix["cities"]):
        for i, partner in enumerate(matrix["partners"]):
            count = matrix["counts"][j][i]
            if not count:
                continue
            agreed = matrix["agreed"][j][i]
            cells.append({
                "city": city, "partner": partner, "count": count, "agreed": agreed,
                "cx": LABEL_WIDTH + j * CELL + CELL // 2, "cy": HEAD_HEIGHT + i * CELL + CELL // 2,
                "r": max(3, round(MAX_RADIUS * math.sqrt(count / top))),
                "href": link(partner, city),
                "label": f"{city} × {partner}：{count} 段" + ("，有協定" if agreed else ""),
            })
    return {
        "cells": cells,
        "rows": [{"name": p, "country": c, "y": HEAD_HEIGHT + i * CELL + CELL // 2}
                 for i, (p, c) in enumerate(zip(matrix["partners"], matrix["countries"], strict=True))],
        "columns": [{"city": c, "x": LABEL_WIDTH + j * CELL + CELL // 2, "chars": list(c)}
                    for j, c in enumerate(matrix["cities"])],
        "width": LABEL_WIDTH + len(matrix["cities"]) * CELL + 4,
        "height": HEAD_HEIGHT + len(matrix["partners"]) * CELL + 4,
        "cell": CELL, "label_width": LABEL_WIDTH, "head_height": HEAD_HEIGHT,
    }


def agreements_text(partner: PartnerSummary) -> str:
    """The partner's agreements in a few words, for a table cell: 姊妹港（締結 2015-08）、…"""
    return "、".join(f"{a.kind}（{STATE_LABELS[a.state]}{' ' + a.date if a.date else ''}）" for a in partner.agreements)


def partners_json(atlas: Atlas, sort: str, country: str | None) -> dict:
    """What /api/partners answers."""
    rows = atlas.summaries(sort, country)
    return {"total": len(rows), "sort": sort, "country": country,
            "partners": [p.to_dict() for p in rows],
            "countries": [{"country": c, "partners": n} for c, n in atlas.countries()],
            "matrix": atlas.matrix()}
