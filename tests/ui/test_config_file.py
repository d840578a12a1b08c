"""Saving the theme never costs the user the rest of config.toml."""

import tomllib

import pytest

from paperdeck.ui.config import load_config, save_theme


def test_theme_is_written_into_a_new_file(tmp_path):
    path = tmp_path / "sub" / "config.toml"
    save_theme(path, "gruvbox")
    assert tomllib.loads(path.read_text()) == {"theme": "gruvbox"}
    assert load_config(path).theme == "gruvbox"


def test_saving_keeps_comments_lists_nested_tables_and_key_remaps(tmp_path):
    path = tmp_path / "config.toml"
    original = (
        "# my settings\n"
        'theme = "nord"  # was dark\n'
        'plugins = ["a", "b"]\n'
        "\n"
        "[keys]\n"
        'star = "8"\n'
        "\n"
        "[other.nested]\n"
        "x = 1\n"
    )
    path.write_text(original)
    save_theme(path, "gruvbox")
    text = path.read_text()
    assert text == original.replace('theme = "nord"  # was dark', 'theme = "gruvbox"')
    assert load_config(path).keys == {"star": "8"}


def test_theme_line_goes_above_the_first_table(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[keys]\nstar = "8"\n')
    save_theme(path, "dracula")
    assert tomllib.loads(path.read_text()) == {"theme": "dracula", "keys": {"star": "8"}}


def test_a_file_that_does_not_parse_is_left_alone(tmp_path):
    path = tmp_path / "config.toml"
    broken = 'theme = "nord"\nthis is not toml\n[keys]\nstar = "8"\n'
    path.write_text(broken)
    with pytest.raises(ValueError, match="does not parse"):
        save_theme(path, "gruvbox")
    assert path.read_text() == broken
