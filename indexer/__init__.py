"""The jiaoliu library: corpus, metadata, passages, analysis, index and search (no web code)."""
