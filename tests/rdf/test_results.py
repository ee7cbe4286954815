"""``first_rows``: the one place a capped answer is cut, flagged, and never read past."""

from __future__ import annotations

import itertools

from casegraph.rdf.results import first_rows


def test_rows_under_the_cap_are_all_kept_and_not_flagged():
    assert first_rows([1, 2, 3], 3) == ([1, 2, 3], False)
    assert first_rows([1, 2, 3], None) == ([1, 2, 3], False)


def test_rows_over_the_cap_are_cut_and_flagged():
    assert first_rows([1, 2, 3, 4], 2) == ([1, 2], True)
    assert first_rows([1], 0) == ([], True)


def test_an_endless_answer_is_read_one_row_past_the_cap_only():
    counter = itertools.count()
    rows, truncated = first_rows(counter, 5)
    assert rows == [0, 1, 2, 3, 4] and truncated
    assert next(counter) == 6
