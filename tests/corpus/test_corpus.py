"""The importer on the corpus of real documents (tests/corpus): what `make corpus` prints, held to the
issue's thresholds. Each document is parsed once for the module."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.corpus.scoring import FIELDS, CorpusScore, read_truth, score_corpus

CORPUS = Path(__file__).parent


@pytest.fixture(scope="module")
def scores() -> CorpusScore:
    return score_corpus(CORPUS)


def test_the_corpus_holds_fifteen_documents_of_every_level(scores):
    levels = {d.name.split("-")[1] for d in scores.documents}
    assert len(scores.documents) >= 15
    assert {"gov", "prov", "city"} <= levels
    assert all(read_truth(CORPUS / "truth" / d.name) for d in scores.documents)


@pytest.mark.parametrize("field", FIELDS)
def test_recall_and_precision_over_the_corpus(scores, field):
    total = scores.total(field)
    assert total.recall >= 0.95, scores.table()
    assert total.precision >= 0.97, scores.table()


def test_no_document_is_refused_and_nothing_is_dropped_silently(scores):
    assert scores.refused == []
    assert scores.silent_drops == 0, [d.silent_drops for d in scores.documents]
