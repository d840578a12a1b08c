"""Making untrusted text safe to store and show.

Titles, abstracts, notes and tags come from web pages and files we do not control. Escape
sequences (ANSI CSI, OSC 52 clipboard writes, ...), C0/C1 control characters and bidirectional
overrides are removed where text enters the library, so nothing later can replay them to a
terminal. Rich markup needs no escaping here: the reader never parses stored text as markup.
"""

from __future__ import annotations

import re
import unicodedata

# ESC-introduced sequences: CSI (ESC [ ... final), OSC/DCS/SOS/PM/APC (ESC ] ... BEL or ST),
# and two-character escapes. Their 8-bit C1 forms are caught by the control-character pass.
_ESCAPE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_].*?(?:\x07|\x1b\\|$)"  # OSC, DCS, SOS, PM, APC up to BEL or ST
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|[\x90\x98\x9d\x9e\x9f].*?(?:\x07|\x9c|$)"  # 8-bit string controls up to BEL or ST
    r"|\x1b[@-Z\\-_]?",  # any other escape
    re.DOTALL,
)
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"
_CONTROLS = "".join(chr(c) for c in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)])
_DROP_ALL = str.maketrans("", "", _CONTROLS + _BIDI)
_KEEP_LINES = str.maketrans("", "", _CONTROLS.replace("\n", "").replace("\t", "") + _BIDI)
_SPACES = re.compile(r"\s+")
# Any character that can act on a terminal: C0 controls but newline and tab, DEL, C1 (8-bit
# escapes such as CSI and OSC), and bidi controls (which reorder what the eye reads).
_ACTS_ON_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + _BIDI + "]")
# Of those, the ones JSON encoders leave raw (they escape C0 controls themselves).
_RAW_IN_JSON = re.compile("[\x7f-\x9f" + _BIDI + "]")


def strip_unsafe(text: str, *, multiline: bool = False) -> str:
    """Remove escape sequences, control characters and bidi overrides."""
    text = _ESCAPE.sub("", text)
    if multiline:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
        return text.translate(_KEEP_LINES)
    return text.translate(_DROP_ALL)


def terminal_safe(text: str) -> str:
    """Text that may go to a terminal as it is: THE function every output path uses (each
    line the CLI prints, its errors, the reader's notifications and dialogs).

    Escape sequences, control characters and bidi overrides are removed; newlines and tabs
    stay; a carriage return becomes a newline (it could overprint what came before). Text
    with nothing to remove (nearly all of it) is returned as it is, after one scan.
    """
    if _ACTS_ON_TERMINAL.search(text) is None:
        return text
    return strip_unsafe(text, multiline=True)


def escape_json_controls(json_text: str) -> str:
    """JSON text with DEL, C1 and bidi controls written as \\uXXXX escapes: the same data,
    but nothing that acts on a terminal when the JSON is printed (encoders escape only C0)."""
    return _RAW_IN_JSON.sub(lambda m: f"\\u{ord(m.group()):04x}", json_text)


def clean_line(text: str) -> str:
    """Safe single-line text (titles, names, tags): NFC, no controls, runs of space folded.

    Plain ASCII, most of what is imported, skips the passes that cannot change it (3x
    faster: this runs on every field of every imported paper); printable ASCII has nothing
    to remove but runs of spaces."""
    ascii_only = text.isascii()
    if ascii_only and text.isprintable():
        return (_SPACES.sub(" ", text) if "  " in text else text).strip()
    if not ascii_only:
        text = unicodedata.normalize("NFC", text)
    if not ascii_only or "\x1b" in text:
        text = _ESCAPE.sub("", text)
    text = text.replace("\t", " ").replace("\n", " ").replace("\r", " ").translate(_DROP_ALL)
    if not ascii_only or "  " in text:
        text = _SPACES.sub(" ", text)
    return text.strip()


def clean_block(text: str) -> str:
    """Safe multi-line text (notes): NFC, no controls except newlines and tabs."""
    return strip_unsafe(unicodedata.normalize("NFC", text), multiline=True).strip()


def normalise_title(title: str) -> str:
    """A key for matching the same title across sources: case, accents and punctuation folded."""
    letters = title.casefold()
    if not letters.isascii():  # ASCII has nothing to decompose
        decomposed = unicodedata.normalize("NFKD", letters)
        letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.findall(r"\w+", letters))


def normalise_tag(tag: str) -> str:
    """Tags are single tokens: lower case, a leading '+' or '#' dropped, and spaces and commas
    made dashes (a comma would split the tag in BibTeX `keywords` and in `tag:` queries)."""
    tag = clean_line(tag).lstrip("+#").strip().lower()
    return re.sub(r"[\s,]+", "-", tag).strip("-")
