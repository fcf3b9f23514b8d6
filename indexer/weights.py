"""How a hit is scored: every weight that decides a passage's rank, named and
explained in one place. The engine uses the first group to pick and score
candidates; `indexer.search.rank` uses the second to reorder the best of them;
the prior is computed at index time. Each was chosen on the judged queries
(scripts/eval.py, docs/EVALUATION.md); change one, and run that again.
"""

# -- candidates: the engine's score (BM25F over character grams and jieba words) --

# Each top-level term a passage matches adds COORD, far above any BM25 score, so a
# passage with more of the query's terms always outranks one with fewer (a soft AND).
COORD = 1000.0
# A term matched through another name (an alias the report defines, a thesaurus
# equivalent, a year in the other calendar) scores this much of the term itself.
ALIAS_BOOST = 0.8
# A long term's jieba words, for passages that lack the whole term: a little, so
# that they rank below every passage with the whole term.
PARTIAL_BOOST = 0.3
# A term in the passage's own heading counts more than in its text; in the
# report's title, which every passage of the report shares, less.
HEADING_FIELD_BOOST = 1.5
TITLE_FIELD_BOOST = 0.5

# -- the second stage (indexer.search.rank), over the engine's best RERANK_DEPTH --

# How many of the engine's best the second stage reorders (pages beyond keep the engine's
# order): whoosh ranks by BM25 alone, so the second stage must look deep; the arrays
# engine ranks by most of the second stage's own relevance, so the best few suffice
# (docs/PERFORMANCE.md, "How deep the second stage looks").
RERANK_DEPTH = {"whoosh": 200, "arrays": 30}
# A term matched as written counts 1 towards a passage's tier, through another name
# MATCH_ALIAS, some of a long term's words up to MATCH_PARTIAL (spans.TextMatcher).
MATCH_ALIAS = 0.9
MATCH_PARTIAL = 0.5
# Tiers (how many of the query's terms a passage holds) are kept apart: the rest of
# the relevance below is at most about 2, so TIER_WEIGHT × tier decides first.
TIER_WEIGHT = 10.0
# Bonuses, on top of the BM25 score scaled to [0, 1] by the best candidate's:
HEADING_BONUS = 0.35  # a term in the passage's heading
EXACT_BONUS = 0.25  # the whole query occurs as written
PROXIMITY_BONUS = 0.2  # the terms stand close together …
PROXIMITY_SCALE = 20.0  # … counting 1 / (1 + gap / PROXIMITY_SCALE), the gap in characters
DENSITY_BONUS = 0.2  # matched characters are a large share of the passage …
DENSITY_SCALE = 20.0  # … min(1, DENSITY_SCALE × matched / length): 5 % of it is full density

# -- the prior (indexer.ingest.prior), computed at index time --

# What a passage that is not prose keeps of its score at least, and what a table of
# contents keeps (a passage that merely lists the term is worth less than prose about it).
MIN_PRIOR = 0.35
TOC_PRIOR = 0.15
