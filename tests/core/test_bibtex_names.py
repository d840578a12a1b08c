"""BibTeX names: split as BibTeX splits them, decoded word by word, written back so that
BibTeX reads the same person (bibtexparser 2's own splitter reads "Mu\\~noz" as two words)."""

from __future__ import annotations

import bibtexparser
import pytest

from paperdeck.core.bibtex_writer import bibtex_name, to_bibtex
from paperdeck.core.models import Paper
from paperdeck.core.sources.bibtex import split_authors
from paperdeck.core.sources.bibtex_names import parse_name, word_case, words
from paperdeck.core.sources.latex import latex_to_unicode


def fields_of(text: str) -> dict[str, str]:
    return {
        field.key: str(field.value) for field in bibtexparser.parse_string(text).entries[0].fields
    }


@pytest.mark.parametrize(
    ("source", "display", "written"),
    [
        ("van der Berg, Jan", "Jan van der Berg", "van der Berg, Jan"),
        ("Jan van der Berg", "Jan van der Berg", "van der Berg, Jan"),
        ("de la Fuente, Ana", "Ana de la Fuente", "de la Fuente, Ana"),
        ("Ruiz Díaz, Marta", "Marta Ruiz Díaz", "Ruiz Díaz, Marta"),
        (r"Mu\~noz, Jos{\'e}", "José Muñoz", r"Mu\~noz, Jos{\'e}"),
        (r"Jos{\'e} Mu\~noz", "José Muñoz", r"Mu\~noz, Jos{\'e}"),
        ("{Google DeepMind}", "Google DeepMind", "{Google DeepMind}"),
        ("King, Jr, Martin Luther", "Martin Luther King Jr", "King, Jr, Martin Luther"),
        (r"{\"O}zt{\"u}rk, Ali", "Ali Öztürk", r"{\"O}zt{\"u}rk, Ali"),
        (r"{\relax Ch}ristopher Manning", "Christopher Manning", r"Manning, {\relax Ch}ristopher"),
        ("Ludwig van Beethoven", "Ludwig van Beethoven", "van Beethoven, Ludwig"),
        ("Lee, Anna,", "Anna Lee", "Lee, Anna"),  # a stray comma is no empty given name
        # One comma, then only a suffix: the given names come before it (BibTeX itself would
        # read "Jr." as the given name).
        ("Martin Luther King, Jr.", "Martin Luther King Jr.", "King, Jr., Martin Luther"),
        ("Jan van der Berg, III", "Jan van der Berg III", "van der Berg, III, Jan"),
        ("King, Sr", "King Sr", "King, Sr,"),  # an empty given name, as BibTeX needs
        ("Wang, Xi", "Xi Wang", "Wang, Xi"),  # a given name, not a numeral
        ("Vapnik, V.", "V. Vapnik", "Vapnik, V."),  # an initial, not five
    ],
)
def test_names_split_as_bibtex_splits_them(source: str, display: str, written: str) -> None:
    name = parse_name(source)
    assert (name.display(), name.bibtex()) == (display, written)
    assert parse_name(written).display() == display  # BibTeX reads the same person back


def test_a_tie_is_a_separator_only_outside_a_command() -> None:
    assert words(r"Jos{\'e}~Mu\~noz Ruiz") == [r"Jos{\'e}", r"Mu\~noz", "Ruiz"]
    assert words("{Barnes and Noble} Inc") == ["{Barnes and Noble}", "Inc"]


def test_the_case_of_a_word_is_bibtex_s() -> None:
    cases = [word_case(w) for w in ["van", "Van", r"{\"O}z", r"{\oe}uvre", "{von}", r"\L{}ukasz"]]
    assert cases == ["lower", "upper", "upper", "lower", "none", "upper"]


def test_an_unknown_command_never_glues_a_given_name_to_a_surname() -> None:
    assert latex_to_unicode(r"Jan\xspace Smith") == "JanSmith"  # decoded whole: glued
    assert split_authors(r"Jan\xspace Smith and Lee, Anna\foo") == (
        ["Jan Smith", "Anna Lee"],
        False,
    )


def test_author_lists_keep_namesakes_and_survive_stray_commas() -> None:
    assert split_authors("Lee, Anna, and Ortiz, Pablo") == (["Anna Lee", "Pablo Ortiz"], False)
    assert split_authors("Wang, Wei and Li, Na and Wang, Wei and others") == (
        ["Wei Wang", "Na Li", "Wei Wang"],
        True,
    )
    assert split_authors("de la Cruz, Ana and Martin Luther King, Jr. and Smith, III, John") == (
        ["Ana de la Cruz", "Martin Luther King Jr.", "John Smith III"],
        False,
    )
    # People written "First Last, First Last" with no "and": each is a person.
    assert split_authors("Bo Li, Peiyuan Zhang, Kaichen Zhang and Ziwei Liu") == (
        ["Bo Li", "Peiyuan Zhang", "Kaichen Zhang", "Ziwei Liu"],
        False,
    )


def test_names_from_other_sources_are_written_for_bibtex() -> None:
    assert bibtex_name("Jan van der Berg") == "van der Berg, Jan"
    assert bibtex_name("Martin Luther King Jr.") == "King, Jr., Martin Luther"
    assert bibtex_name("Ruiz Díaz, Marta") == "{Ruiz Díaz, Marta}"  # never two people
    assert bibtex_name("Research and Development Team") == "{Research and Development Team}"
    assert bibtex_name("A_B C%D") == r"C\%D, A\_B"
    assert bibtex_name("Marta Ruiz Díaz", {"Marta Ruiz Díaz": "Ruiz Díaz, Marta"}) == (
        "Ruiz Díaz, Marta"
    )


def test_organisations_are_written_in_braces_and_people_as_von_last_jr_first() -> None:
    """An organisation has no given name: written as a person, "The ATLAS Collaboration" was
    "Collaboration, The ATLAS" and "Google DeepMind" "DeepMind, Google"."""
    paper = Paper(title="T", authors=["The ATLAS Collaboration", "Google DeepMind", "OpenAI"])
    assert fields_of(to_bibtex([paper]))["author"] == (
        "{The ATLAS Collaboration} and {Google DeepMind} and OpenAI"
    )
    organisations = ["Gemini Team", "Meta AI", "IBM Research", "Institute for Advanced Study",
                     "Acme Widgets Inc.", "Team 7", "Vision Group", "Allen Institute for AI"]  # fmt: skip
    assert [bibtex_name(name) for name in organisations] == [
        "{" + name + "}" for name in organisations
    ]
    people = {
        "Jan van der Berg Jr.": "van der Berg, Jr., Jan",
        "Yann LeCun": "LeCun, Yann",
        "David MacKay": "MacKay, David",
        "Conan O'Brien": "O'Brien, Conan",
        "Ai Hayashi": "Hayashi, Ai",
        "Li Fei-Fei": "Fei-Fei, Li",
    }
    assert {name: bibtex_name(name) for name in people} == people
    # BibTeX reads each back as the same name.
    again = split_authors(" and ".join(map(bibtex_name, [*organisations, *people])))
    assert again == ([*organisations, *people], False)


def test_latex_text_symbols_are_kept() -> None:
    text = r"a\textbar{}b \textless{}c\textgreater{} \textquotedbl{}q\textquotedbl{} x\textunderscore{}y \textbackslash{}"
    assert latex_to_unicode(text) == 'a|b <c> "q" x_y \\'
    assert latex_to_unicode(r"1--2, a\,b, \emph{x}, \unknown{} y") == "1–2, a b, x, y"


@pytest.mark.parametrize(
    ("name", "written"),
    [
        # A capital inside a name after a surname prefix, in any word, in each part of a
        # double name, after several prefixes.
        ("DeAndre Jordan", "Jordan, DeAndre"),
        ("LaToya Smith", "Smith, LaToya"),
        ("McKenzie Davis", "Davis, McKenzie"),
        ("D'Arcy Thompson", "Thompson, D'Arcy"),
        ("Anna Smith-McDonald", "Smith-McDonald, Anna"),
        ("Jean de LaFontaine", "de LaFontaine, Jean"),
        ("Juan DeLaCruz", "DeLaCruz, Juan"),
        ("Eric VanDerWal", "VanDerWal, Eric"),
        ("Hans VonDerLeyen", "VonDerLeyen, Hans"),
        ("Yann LeCun", "LeCun, Yann"),
    ],
)
def test_people_with_inner_capitals_are_written_as_people(name: str, written: str) -> None:
    assert bibtex_name(name) == written
    assert split_authors(written) == ([name], False)  # BibTeX reads the same person back
    paper = Paper(title="T", authors=[name, "Ann Lee"])
    assert fields_of(to_bibtex([paper]))["author"] == f"{written} and Lee, Ann"


def test_a_capital_no_prefix_explains_braces_the_name_in_any_word() -> None:
    """ "ByteDance Seed" must not be printed "Seed, B.": a capital inside a word that no
    surname prefix explains braces the name, a given name's too. Some people's names are
    braced with them ("JoAnne Yates"), which prints them as written."""
    braced = ["ByteDance Seed", "DeepMind Gemini", "OpenAI Japan", "JoAnne Yates",
              "XiaoMing Wang"]  # fmt: skip
    assert [bibtex_name(name) for name in braced] == ["{" + name + "}" for name in braced]
    assert split_authors(" and ".join(map(bibtex_name, braced))) == (braced, False)


def test_organisations_with_inner_capitals_stay_whole() -> None:
    """An organisation named by a word of its kind, or whose last word (what BibTeX takes
    for a surname) has a capital inside that no surname prefix explains. One word is never
    split, braced or not."""
    organisations = ["DeepMind Team", "The LIGO Collaboration", "IBM Research",
                     "Google DeepMind", "DeepMind Technologies", "Acme Systems"]  # fmt: skip
    assert [bibtex_name(name) for name in organisations] == [
        "{" + name + "}" for name in organisations
    ]
    assert [bibtex_name(name) for name in ["OpenAI", "NVIDIA", "DeepSeek-AI"]] == [
        "OpenAI", "NVIDIA", "DeepSeek-AI"
    ]  # fmt: skip
    again = split_authors(" and ".join(map(bibtex_name, [*organisations, "OpenAI"])))
    assert again == ([*organisations, "OpenAI"], False)
