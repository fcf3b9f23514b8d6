"""The arrays engine: the plan run over memory-mapped numpy postings and columns.

Whoosh's matchers visit every matching passage in Python (≈ 20 µs each), which
at a city archive's size (200k passages) makes common searches take seconds.
Here every step is a vectorised operation over a whole posting list or column:

- `batch.py`: many passages' character grams (the same as `indexer.text.grams`) at
  once, as numpy arrays of term keys;
- `segment.py`: one build's postings and columns, written with numpy and memory-mapped;
- `parallel.py`: a build's new passages as one segment per core when they are many;
- `merge.py`: many segments (and their deleted passages) merged into one;
- `columns.py`: every passage's filter and facet values, across segments;
- `evaluate.py`: a query plan as masks over the passages, and their BM25 scores;
- `engine.py`: the engine of `indexer.engine.protocol`, with whoosh as the store of
  the passages' stored fields (one whoosh document per passage, numbered alike).
"""
