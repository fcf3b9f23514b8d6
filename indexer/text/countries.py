"""The countries the reports name, each under one name (南韓 and 大韓民國 are 韓國).

>>> [country_name(m.group()) for m in COUNTRY.finditer("與南韓、日本及沿海地區")]
['韓國', '日本']
"""

from __future__ import annotations

import re

COUNTRY_ALIASES = {
    "南韓": "韓國", "大韓民國": "韓國", "澳大利亞": "澳洲", "印度尼西亞": "印尼",
    "聖文森": "聖文森及格瑞那丁", "聖克里斯多福": "聖克里斯多福及尼維斯", "史瓦濟蘭": "史瓦帝尼",
}
COUNTRIES = (
    "日本", "韓國", "美國", "加拿大", "墨西哥", "英國", "法國", "德國", "荷蘭", "比利時", "奧地利", "瑞士", "義大利",
    "西班牙", "葡萄牙", "瑞典", "芬蘭", "丹麥", "挪威", "波蘭", "捷克", "斯洛伐克", "匈牙利", "羅馬尼亞", "塞爾維亞", "立陶宛",
    "拉脫維亞", "愛沙尼亞", "烏克蘭", "俄羅斯", "土耳其", "以色列", "印度", "泰國", "越南", "新加坡", "馬來西亞", "印尼",
    "菲律賓", "蒙古", "澳洲", "紐西蘭", "帛琉", "吐瓦魯", "馬紹爾群島", "諾魯", "巴西", "阿根廷", "智利", "秘魯", "哥倫比亞",
    "巴拉圭", "瓜地馬拉", "宏都拉斯", "貝里斯", "巴拿馬", "海地", "南非", "史瓦帝尼", "聖文森及格瑞那丁",
    "聖克里斯多福及尼維斯",
)
# 海地 (Haiti) is also 沿海地區's middle: not before 區.
COUNTRY = re.compile("|".join(name + "(?!區)" if name == "海地" else name
                               for name in sorted([*COUNTRIES, *COUNTRY_ALIASES], key=len, reverse=True)))


def country_name(written: str) -> str:
    """The one name of a country as written (南韓 → 韓國)."""
    return COUNTRY_ALIASES.get(written, written)
