"""The hits-per-year bar chart above the results, as geometry for an inline SVG.

Pure: year facet values in, bars out; the template only draws them.

>>> from indexer.models import FacetValue
>>> chart = year_chart([FacetValue("2022", 4, toggle_url="?from=2022"), FacetValue("2020", 2)])
>>> [(b["year"], b["count"], b["height"]) for b in chart["bars"]]
[('2020', 2, 40), ('2021', 0, 0), ('2022', 4, 80)]
"""

from __future__ import annotations

from collections.abc import Sequence

from indexer.models import FacetValue

BAR_WIDTH = 36  # px per year; the SVG scales down on a narrow screen
BAR_GAP = 6
PLOT_HEIGHT = 80  # the tallest bar
LABEL_HEIGHT = 34  # room for the count above a bar and the year below
MAX_GAP_FILL = 40  # a wider span of years is drawn without the empty years between


def year_chart(values: Sequence[FacetValue]) -> dict | None:
    """Bars in year order: {"bars": [...], "width", "height"}, or None with nothing to draw.

    Years between the first and last with no hits get an empty bar (no link),
    so that 2014 and 2022 are not drawn side by side as if consecutive.
    Each bar: year, count, href (None for an empty year), selected, x, y, height,
    label ("2022 年：12 筆") and whether to print its year under it.
    """
    by_year = {v.value: v for v in values if v.value.isdigit()}
    if not by_year:
        return None
    first, last = min(map(int, by_year)), max(map(int, by_year))
    if last - first < MAX_GAP_FILL:
        years = [str(y) for y in range(first, last + 1)]
    else:
        years = sorted(by_year, key=int)
    top = max(v.count for v in by_year.values()) or 1
    # With many years, print every n-th year so the labels do not overlap.
    every = max(1, -(-len(years) // 12))
    bars = []
    for i, year in enumerate(years):
        value = by_year.get(year)
        count = value.count if value else 0
        height = round(PLOT_HEIGHT * count / top) if count else 0
        bars.append({
            "year": year,
            "count": count,
            "href": value.toggle_url if value else None,
            "selected": bool(value and value.selected),
            "x": i * (BAR_WIDTH + BAR_GAP),
            "y": LABEL_HEIGHT // 2 + PLOT_HEIGHT - height,
            "height": height,
            "label": f"{year} 年：{count} 筆",
            "show_year": i % every == 0 or i == len(years) - 1,
        })
    return {
        "bars": bars,
        "bar_width": BAR_WIDTH,
        "width": len(years) * (BAR_WIDTH + BAR_GAP) - BAR_GAP,
        "height": PLOT_HEIGHT + LABEL_HEIGHT,
        "baseline": LABEL_HEIGHT // 2 + PLOT_HEIGHT,
    }
