"""Spellings of one affiliation grouped: exact keys, labels and what the store makes of them."""

from collections import Counter

import pytest

from paperdeck.core.affiliations import affiliation_key, group_spellings, same_affiliation
from paperdeck.core.models import Paper
from paperdeck.core.paperset import PaperSet
from paperdeck.core.store import Library


@pytest.mark.parametrize(
    ("spellings", "key"),
    [
        (["tsinghua", "Tsinghua University", "TSINGHUA UNIV.", "Tsinghua Univ"], "tsinghua"),
        (["University of Tokyo", "The University of Tokyo", "Tokyo Univ."], "tokyo"),
        (["Université Paris-Saclay", "Universite Paris Saclay"], "paris saclay"),
        (["Shanghai AI Lab", "Shanghai AI Laboratory", "shanghai ai lab."], "ai shanghai"),
        (["Chinese Academy of Sciences", "Chinese Acad. Sci."], "academy chinese science"),
        (["Meta Inc.", "META"], "meta"),
        (["University", "university"], "university"),  # nothing distinctive: the words stay
    ],
)
def test_spellings_of_one_affiliation_share_a_key(spellings, key):
    assert {affiliation_key(spelling) for spelling in spellings} == {key}


@pytest.mark.parametrize(
    ("first", "second"),
    [
        ("Google", "Google DeepMind"),
        ("Peking University", "Tsinghua University"),
        ("Shanghai AI Lab", "Shanghai Jiao Tong University"),
        ("Ohio University", "Ohio State University"),
    ],
)
def test_different_affiliations_keep_apart(first, second):
    assert affiliation_key(first) != affiliation_key(second)


def test_a_group_shows_its_most_used_spelling_then_the_longest():
    counts = Counter({"tsinghua": 2, "Tsinghua University": 5, "Tsinghua Univ.": 1, "MIT": 3})
    assert group_spellings(counts) == {
        "Tsinghua University": Counter(
            {"Tsinghua University": 5, "tsinghua": 2, "Tsinghua Univ.": 1}
        ),
        "MIT": Counter({"MIT": 3}),
    }
    tie = Counter({"tsinghua": 1, "Tsinghua University": 1})
    assert list(group_spellings(tie)) == ["Tsinghua University"]
    assert same_affiliation("TSINGHUA", ["tsinghua", "Tsinghua University", "PKU"]) == [
        "tsinghua",
        "Tsinghua University",
    ]


@pytest.fixture
def library(tmp_path):
    with Library(tmp_path / "lib") as lib:
        lib.add_papers(
            [
                Paper(title="One", affiliations=["tsinghua"], sources=["a.txt"]),
                Paper(title="Two", affiliations=["Tsinghua University", "PKU"], sources=["b"]),
                Paper(title="Three", affiliations=["Tsinghua Univ.", "tsinghua"], sources=["c"]),
                Paper(title="Four", affiliations=["Peking University"], sources=["d"]),
            ]
        )
        yield lib


def test_the_store_counts_and_filters_one_group(library):
    facets = library.facets()
    # "Three" has two spellings (two sources): it is counted once.
    assert facets.values["affiliation"] == Counter(
        {"tsinghua": 3, "PKU": 1, "Peking University": 1}
    )
    for spelling in ("tsinghua", "Tsinghua University", "TSINGHUA UNIV"):
        titles = [
            p.title
            for p in library.get_many(library.select(PaperSet().narrowed("affiliation", spelling)))
        ]
        assert sorted(titles) == ["One", "Three", "Two"]
    two = library.select(PaperSet().narrowed("affiliation", "PKU"))
    assert [p.title for p in library.get_many(two)] == ["Two"]
    # Scoped to a search's hits, the group counts only those papers.
    hits = [library.select(PaperSet().narrowed("affiliation", "PKU"))[0]]
    assert library.facets(hits).values["affiliation"] == Counter(
        {"Tsinghua University": 1, "PKU": 1}
    )
    # Each paper keeps its sources' spellings.
    assert [p.affiliations for p in library.get_many(library.all_ids()) if p.title == "Three"] == [
        ["Tsinghua Univ.", "tsinghua"]
    ]


def test_an_affil_term_finds_every_spelling_of_its_affiliation(library):
    from paperdeck.core.search.index import SearchIndex

    index = SearchIndex(library)
    try:
        index.ensure()

        def titles(query: str) -> list[str]:
            return sorted(p.title for p in library.get_many(index.search(query).ids))

        every = ["One", "Three", "Two"]
        assert titles('affil:"Tsinghua University"') == every  # "tsinghua" has no "university"
        assert titles("affil:tsinghua") == every
        assert titles('affiliation:"tsinghua univ"') == every
        assert titles("affil:peking") == ["Four"]  # a word of the name still finds it
        assert titles("affil:university") == ["Four", "Two"]  # "Univ." is not the word
        assert titles("tsinghua") == every
    finally:
        index.close()
