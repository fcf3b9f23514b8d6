"""The arrays engine reads the store's stored fields from the mapped files: the same
dicts whoosh's own reader gives, in every layout whoosh writes them."""

from __future__ import annotations

import pytest
from whoosh import columns, writing
from whoosh.fields import ID, STORED, Schema
from whoosh.filedb.filestore import FileStorage

from indexer.engine.arrays.stored import StoredColumn

DOCS = [
    {"doc_id": "keelung", "text": "基隆市與八代市締結友好城市", "prior": 0.8},
    {"doc_id": "empty", "text": ""},
    {"doc_id": "long", "text": "交流" * 5000, "countries": "日本,韓國"},
    {"doc_id": "odd", "text": "\x00\ufeff𠀀 \\ `x` <p>", "ordinal": 7},
]


@pytest.mark.parametrize("compound", [True, False], ids=["compound file", "a file per part"])
@pytest.mark.parametrize("cutoff", [2**15, 2], ids=["lengths only", "with offsets"])
@pytest.mark.parametrize("copies", [1, 9])
def test_stored_fields_read_from_the_map_are_whooshs(tmp_path, monkeypatch, compound, cutoff, copies):
    # whoosh writes the offsets only past a cutoff of values (2**15); lower it to get both layouts
    monkeypatch.setattr(columns.VarBytesColumn.Writer.__init__, "__defaults__", (True, cutoff))
    schema = Schema(doc_id=ID(stored=True), text=STORED, prior=STORED, countries=STORED, ordinal=STORED)
    ix = FileStorage(str(tmp_path)).create_index(schema)
    docs = [dict(d, doc_id=f"{d['doc_id']}-{i}") for i in range(copies) for d in DOCS]
    for half in (docs[: len(docs) // 2], docs[len(docs) // 2:]):  # two segments
        writer = ix.writer(compound=compound)
        for doc in half:
            writer.add_document(**doc)
        writer.commit(mergetype=writing.NO_MERGE)
    with ix.searcher() as searcher:
        leaves = searcher.reader().leaf_readers()
        assert len(leaves) == 2
        for reader, offset in leaves:
            column = StoredColumn(reader)
            assert len(column) == reader.doc_count_all()
            for n in range(len(column)):
                assert column[n] == searcher.stored_fields(offset + n) == docs[offset + n]


def test_a_passage_read_again_is_read_as_stored(tmp_path):
    """The column remembers the passages it read last; what a caller does with one it got
    does not change what the next caller gets."""
    ix = FileStorage(str(tmp_path)).create_index(Schema(doc_id=ID(stored=True), text=STORED))
    writer = ix.writer()
    writer.add_document(doc_id="keelung", text="基隆")
    writer.commit()
    with ix.searcher() as searcher:
        column = StoredColumn(searcher.reader().leaf_readers()[0][0])
        first = column[0]
        first["text"] = "changed"
        assert column[0] == {"doc_id": "keelung", "text": "基隆"}
