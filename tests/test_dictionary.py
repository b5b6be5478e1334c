"""The committed data dictionary is what the pandera models generate."""

from __future__ import annotations

from conftest import ROOT
from flows.dictionary import data_dictionary


def test_committed_data_dictionary_matches_the_models():
    committed = (ROOT / "docs" / "DATA_DICTIONARY.md").read_text(encoding="utf-8")
    assert committed == data_dictionary(), "run: .venv/bin/python -m flows dictionary"
