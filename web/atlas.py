"""The atlas pages' data: the city × partner matrix as geometry for an inline SVG, the
labels, and the JSON of /api/partners. Pure: the atlas in, plain data out; templates draw.

>>> m = matrix_chart({"cities": ["基隆市"], "partners": ["八代市"], "countries": ["日本"],
...                   "counts": [[32]], "agreed": [[True]]}, lambda p, c: "?partner=" + p, lambda p: "/p/" + p)
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
CHAR = 14  # px a character of a label takes
MAX_RADIUS = 12


def matrix_chart(matrix: dict, link: Callable[[str, str], str], partner_href: Callable[[str], str]
                 ) -> dict | None:
    """Taiwanese cities × partners: a circle where they meet, its area the passages, filled
    when an agreement is stated. The longer list runs across (a column's name stands one
    character a line, as Chinese is written in columns), so that the picture is wide rather
    than tall. None when there is nothing to draw."""
    cities, partners = matrix["cities"], matrix["partners"]
    if not partners or not cities:
        return None
    across = len(partners) >= len(cities)  # partners as columns
    rows = cities if across else partners
    columns = partners if across else cities
    top = max(max(row) for row in matrix["counts"]) or 1
    head = max(len(c) for c in columns) * CHAR + 8
    label = max(len(r) for r in rows) * CHAR + 12
    cells = []
    for j, city in enumerate(cities):
        for i, partner in enumerate(partners):
            count = matrix["counts"][j][i]
            if not count:
                continue
            row, column = (j, i) if across else (i, j)
            agreed = matrix["agreed"][j][i]
            cells.append({
                "city": city, "partner": partner, "count": count, "agreed": agreed,
                "cx": label + column * CELL + CELL // 2, "cy": head + row * CELL + CELL // 2,
                "r": max(3, round(MAX_RADIUS * math.sqrt(count / top))),
                "href": link(partner, city),
                "label": f"{city} × {partner}：{count} 段" + ("，有協定" if agreed else ""),
            })
    return {
        "cells": cells,
        "rows": [{"name": r, "y": head + i * CELL + CELL // 2, "href": None if across else partner_href(r)}
                 for i, r in enumerate(rows)],
        "columns": [{"name": c, "x": label + j * CELL + CELL // 2, "chars": list(c),
                     "href": partner_href(c) if across else None} for j, c in enumerate(columns)],
        "width": label + len(columns) * CELL + 4,
        "height": head + len(rows) * CELL + 4,
        "label_width": label, "head_height": head,
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
