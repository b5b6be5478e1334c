"""Sentence splitting: offsets index the cleaned text, abbreviations don't end sentences."""

from __future__ import annotations

import polars as pl
import pytest

from flows.sentences import load_sentence_rules, sentences, split_sentences

RULES = load_sentence_rules()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("The U.S. military said so. Then it left.", ["The U.S. military said so.", "Then it left."]),
        ("He moved to the U.S. The move was quiet.", ["He moved to the U.S.", "The move was quiet."]),
        ("Dr Jane Roe and Dr. Omar Khan met. They spoke.", ["Dr Jane Roe and Dr. Omar Khan met.", "They spoke."]),
        ("Col. Ryan Dillon said it. Gen. Ali agreed.", ["Col. Ryan Dillon said it.", "Gen. Ali agreed."]),
        ("J. R. Tolkar wrote it. It sold.", ["J. R. Tolkar wrote it.", "It sold."]),
        ('He said: "It is over." Then he left.', ['He said: "It is over."', "Then he left."]),
        ("“We won.” The crowd cheered!", ["“We won.”", "The crowd cheered!"]),
        ("Is it credible? Fairly credible.", ["Is it credible?", "Fairly credible."]),
        ("Title line\n\nBody one. Body two.", ["Title line", "Body one.", "Body two."]),
        ("It rose 3.5 percent in No. 4 district.", ["It rose 3.5 percent in No. 4 district."]),
    ],
    ids=["us-midsentence", "us-at-end", "dr", "col-gen", "initials", "quote", "curly-quote", "question",
         "paragraphs", "decimal-and-no"],
)
def test_split_sentences_handles_abbreviations_and_quotes(text, expected):
    assert [text[s:e] for s, e in split_sentences(text, RULES)] == expected


def test_sentence_offsets_index_the_document_text():
    docs = pl.DataFrame({"doc_id": ["d1", "d2"], "text": ["One. Two?\n\nThree!", "Solo line"]})
    table = sentences(docs, RULES)
    texts = dict(docs.iter_rows())
    assert table["sentence_idx"].to_list() == [0, 1, 2, 0]
    for doc_id, _, start, end, text in table.iter_rows():
        assert texts[doc_id][start:end] == text
