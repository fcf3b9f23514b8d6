"""The whoosh schema, in one place.  One whoosh document per passage."""

from __future__ import annotations

from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from indexer.engine.whoosh.analysis import GramTokenizer, WordTokenizer
from indexer.weights import HEADING_FIELD_BOOST, TITLE_FIELD_BOOST

# Bump when the schema, the analysis, how passages are cut or how metadata is
# read changes, so that an existing index is rebuilt rather than read with the
# wrong assumptions. 9: long paragraphs cut, implausible dates ignored; 10: the
# tokenizers moved to indexer.engine.whoosh.analysis (whoosh pickles their path), keys doc#passage.
ANALYSIS_VERSION = "13"  # 11: the level field; 12: bigrams across whitespace in a CJK run; 13: partners


def make_schema() -> Schema:
    grams = GramTokenizer()
    return Schema(
        key=ID(unique=True),  # doc_id + "\x1f" + passage_id
        doc_id=ID(stored=True, sortable=True),
        passage_id=STORED(),
        ordinal=NUMERIC(stored=True, sortable=True),
        title=STORED(),
        heading=STORED(),
        text=STORED(),
        date=STORED(),
        prior=STORED(),  # how much of the passage is prose (indexer.ingest.prior)
        # matching: Ctrl-F certainty through character grams (see indexer/text/grams.py)
        grams=TEXT(analyzer=grams, phrase=True),
        heading_grams=TEXT(analyzer=grams, phrase=True, field_boost=HEADING_FIELD_BOOST),
        title_grams=TEXT(analyzer=grams, phrase=True, field_boost=TITLE_FIELD_BOOST),
        # ranking: jieba words
        words=TEXT(analyzer=WordTokenizer(), phrase=False),
        # filters and facets
        city=ID(stored=True, sortable=True),
        year=ID(stored=True, sortable=True),
        kind=ID(stored=True, sortable=True),
        agency=ID(stored=True, sortable=True),
        level=ID(stored=True, sortable=True),
        # a report may name several destination countries
        countries=KEYWORD(stored=True, commas=True, sortable=True),
        partners=KEYWORD(stored=True, commas=True, sortable=True),  # indexer.ingest.partners
        # the days a report covers, [period start … report date], as YYYYMMDD
        span_start=NUMERIC(bits=32, sortable=True),
        span_end=NUMERIC(bits=32, sortable=True),
    )
