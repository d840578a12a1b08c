"""Reading a query string without the index: the last word as typed, nothing to search yet."""

from __future__ import annotations

import pytest

from paperdeck.core.query_words import (
    MIN_TYPED_PREFIX,
    MIN_WORD,
    STOP_WORDS,
    as_typed_prefix,
    ends_half_typed,
    nothing_to_search_yet,
    widened_query,
)


@pytest.mark.parametrize(
    ("query", "widened"),
    [
        ("transf", "transf*"),
        ("deep transf", "deep transf*"),
        ("author:vasw", "author:vasw*"),
        ("(graph OR diffu", "(graph OR diffu*)"),  # closed, as a phrase being typed is
        ("((a OR b) AND (graph diffu", "((a OR b) AND (graph diffu*))"),
        ('(graph OR "diffusion mod', "(graph OR diffusion mod*)"),
        ('"a (b" (graph diffu', '"a (b" (graph diffu*)'),  # a bracket in a phrase is text
        ('title:"x y" mod', 'title:"x y" mod*'),
        ("café", "café*"),
        ("tr", None),  # too short to be worth a prefix
        ("transf ", None),  # a space typed after it: the word is done
        ('"deep transf', "deep transf*"),  # a phrase being typed: its words
        ('title:"x y" "deep transf', 'title:"x y" deep transf*'),
        ('"deep transf"', None),  # a phrase typed in full
        ('"deep ', None),
        ("test-ti", "test-ti*"),  # the query parser splits it where the index does
        ("tag:to-r", "tag:to-r*"),
        ("x-d", "x-d*"),
        ("x-", None),
        ("-x-d", None),  # excluded
        ("mixture-of-ex", "mixture-of-ex*"),
        ("cats AND", None),  # an operator
        ("-robo", None),  # excluded
        ("reinf*", None),  # a prefix already
        ("", None),
    ],
)
def test_the_last_word_as_the_start_of_a_word(query: str, widened: str | None) -> None:
    assert as_typed_prefix(query) == widened


@pytest.mark.parametrize(
    ("query", "total", "fallback", "widened"),
    [
        ("quantum OR transf", 0, False, "quantum OR transf*"),
        ("quantum OR transf", 4, False, None),  # it found papers
        ('"language mod', 0, True, "language mod*"),  # a phrase being typed
        ("(quantum OR transf", 0, True, "(quantum OR transf*)"),  # a group being typed
        ("reinforcement (graph OR transf", 0, True, "reinforcement (graph OR transf*)"),
        ("(quantum OR transf", 4, True, None),
        ("(quantum OR transf ", 0, True, None),  # a space typed after it: the word is done
        # Malformed before their end: their plain words are all they search.
        ("quantum) OR transf", 0, True, None),
        ("title: transf", 0, True, None),
        ("AND transf", 0, True, None),
        ("year:[2020 TO 2025 transf", 0, True, None),
    ],
)
def test_a_query_that_found_nothing_is_widened_when_it_ends_in_a_word_being_typed(
    query: str, total: int, fallback: bool, widened: str | None
) -> None:
    assert widened_query(query, total, fallback) == widened


@pytest.mark.parametrize(
    ("query", "nothing"),
    [
        ("a", True),
        ("at", True),  # a stop word, too short to be searched as the start of a word
        ("AT", True),
        ("of a", True),
        ("to be", True),
        ("x", True),
        ("1", True),
        ("AND", True),  # an operator alone: plain words, then a stop word
        ("the", False),  # searched as "the*" while typed
        ("ai", False),  # two letters, no stop word: searched
        ("12", False),
        ("diffusion a", False),
        ("a*", False),  # not plain words: the index says what it finds
        ("author:a", False),
        ('"a"', False),
        ("-a", False),
        ("a_b", False),
        ("", False),
        ("  ", False),
    ],
)
def test_a_query_of_stop_words_and_single_letters_has_nothing_to_search(query, nothing):
    assert nothing_to_search_yet(query) is nothing


@pytest.mark.parametrize(
    ("query", "half"),
    [
        ("di", True),
        ("neural di", True),
        ("neural d", True),
        ("year:20", True),
        ("(graph OR di", True),
        ("dif", False),  # searched as "dif*" already
        ("neural", False),
        ("neural ", False),  # a space typed after it: the word is done
        ('"di', False),  # inside a phrase
        ("x-di", False),
        ("", False),
    ],
)
def test_a_query_ending_in_a_word_of_one_or_two_letters_may_be_half_typed(query, half):
    assert ends_half_typed(query) is half


def test_the_stop_words_are_those_the_index_leaves_out():
    """Kept apart from Whoosh's (its import is not cheap): they must not drift."""
    from whoosh.analysis import STOP_WORDS as whoosh_stop_words

    from paperdeck.core.search import analysis, spelling

    assert whoosh_stop_words == STOP_WORDS
    assert MIN_WORD == analysis.MIN_WORD
    assert MIN_TYPED_PREFIX == spelling.MIN_PREFIX  # the reader widens what the index expands
