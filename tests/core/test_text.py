from hypothesis import given
from hypothesis import strategies as st

from paperdeck.core.text import clean_block, clean_line, normalise_tag, normalise_title


def test_clean_line_strips_escapes_controls_and_bidi():
    hostile = "Ti\x1b[31mtle\x1b[0m \x1b]52;c;ZXZpbA==\x07ok\u202e\u2066 \x9b1mX\x07\x00"
    assert clean_line(hostile) == "Title ok X"


def test_clean_line_keeps_markup_as_plain_text():
    assert (
        clean_line("[bold red]x[/]  [@click=app.quit]y[/]")
        == "[bold red]x[/] [@click=app.quit]y[/]"
    )


def test_clean_line_folds_whitespace_and_normalises_to_nfc():
    assert clean_line("  Schro\u0308dinger\n\tcat  ") == "Schrödinger cat"


def test_clean_block_keeps_newlines_but_not_escapes():
    assert (
        clean_block("line one\r\nline\x1b[2J two\n\n- item\x07") == "line one\nline two\n\n- item"
    )


def test_normalise_title_folds_case_accents_and_punctuation():
    assert normalise_title("Schrödinger's Cat: A  Study!") == normalise_title(
        "schrodinger s cat a study"
    )


def test_normalise_tag():
    assert normalise_tag("+Reading List") == "reading-list"
    assert normalise_tag("#LLM") == "llm"
    assert normalise_tag("   ") == ""
    assert normalise_tag("a,b") == "a-b"  # a comma would split the tag in BibTeX keywords
    assert normalise_tag(" , ") == ""


def _clean_line_reference(text: str) -> str:
    """clean_line as first written, without its shortcuts for plain ASCII."""
    import re
    import unicodedata

    from paperdeck.core.text import _DROP_ALL, _ESCAPE

    text = _ESCAPE.sub("", unicodedata.normalize("NFC", text))
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ")
    return re.sub(r"\s+", " ", text.translate(_DROP_ALL)).strip()


PRINTABLE_ASCII = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E))


@given(PRINTABLE_ASCII | st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_clean_line_shortcuts_change_nothing(text):
    assert clean_line(text) == _clean_line_reference(text)


@given(st.text(alphabet=st.characters(max_codepoint=0x7F)) | st.text())
def test_normalise_title_shortcut_changes_nothing(text):
    import re
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    assert normalise_title(text) == " ".join(re.findall(r"\w+", letters))


def test_terminal_safe_keeps_lines_and_tabs_and_drops_what_acts_on_a_terminal():
    from paperdeck.core.text import terminal_safe

    assert terminal_safe("plain, ünïcode ✓\n\tindented") == "plain, ünïcode ✓\n\tindented"
    text = "a\x1b]52;c;ZXZpbA==\x07b\x1b]0;t\x07c\x1bcd\x9b2Je\x85f\u202eg\rh [red]i[/red]"
    assert terminal_safe(text) == "abccdefg\nh [red]i[/red]"  # ESC c: its ESC goes


def test_json_controls_are_escaped_losslessly():
    import json

    from paperdeck.core.export import json_text

    value = {"note": "x\x85\x9b\u202e\x7f\x1b y"}
    text = json_text(value)
    assert not any(ch in text for ch in "\x85\x9b\u202e\x7f\x1b")
    assert "\\u0085" in text and "\\u202e" in text
    assert json.loads(text) == value
