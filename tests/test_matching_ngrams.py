"""matching.ngrams: the vectorised char_wb counter against scikit-learn's own."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer

from benchmarks.synthetic import generate
from matching.ngrams import CharNgramTfidf, key_text, ngram_keys

ALPHABET = "喜欢旅行读书音乐摄影爬山 abcAB\t\n，。!"


def counts_by_term(texts: list[str]) -> list[dict[str, int]]:
    docs, keys = ngram_keys(texts)
    out: list[dict[str, int]] = [{} for _ in texts]
    for doc, key in zip(docs.tolist(), keys.tolist(), strict=True):
        term = key_text(key, 3 if key >> 42 else 2)
        out[doc][term] = out[doc].get(term, 0) + 1
    return out


def sklearn_counts(texts: list[str]) -> list[dict[str, int]]:
    vectorizer = CountVectorizer(analyzer="char_wb", ngram_range=(2, 3))
    matrix = vectorizer.fit_transform(texts).tocsr()
    names = vectorizer.get_feature_names_out()
    return [
        {names[j]: int(v) for j, v in zip(row.indices, row.data, strict=True)} for row in matrix
    ]


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(alphabet=ALPHABET, min_size=1, max_size=30), min_size=1, max_size=8))
def test_counts_equal_scikit_learns_char_wb(texts: list[str]) -> None:
    if not any(t.split() for t in texts):
        return  # scikit-learn refuses an empty vocabulary
    assert counts_by_term(texts) == sklearn_counts(texts)


def test_tfidf_equals_scikit_learns_on_real_bios() -> None:
    bios = [p.bio for p in generate(400, seed=3).profiles] + ["", "   ", "x\0y 你好"]
    ours = CharNgramTfidf(min_df=2, max_df=0.5).fit(bios[:300])
    theirs = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(2, 3), min_df=2, max_df=0.5, sublinear_tf=True
    ).fit([b.replace("\0", " ") for b in bios[:300]])
    names = theirs.get_feature_names_out()
    order = np.argsort(names)  # our vocabulary is sorted by key, theirs by text
    ours_matrix = ours.transform(bios).toarray()
    theirs_matrix = theirs.transform([b.replace("\0", " ") for b in bios]).toarray()
    assert ours_matrix.shape == theirs_matrix.shape
    # Same terms: map each of ours to its text and compare column by column.
    ours_terms = [key_text(int(k), 3 if int(k) >> 42 else 2) for k in ours.vocabulary_]
    column = {t: j for j, t in enumerate(names)}
    permuted = theirs_matrix[:, [column[t] for t in ours_terms]]
    assert sorted(ours_terms) == sorted(names[order].tolist())
    np.testing.assert_allclose(ours_matrix, permuted, rtol=1e-5, atol=1e-6)
    assert not ours_matrix[-3].any() and not ours_matrix[-2].any()  # empty bios: zero rows


def test_nothing_left_after_pruning_is_a_value_error() -> None:
    with pytest.raises(ValueError):
        CharNgramTfidf(min_df=5).fit(["只有一次", "另外一个"])
