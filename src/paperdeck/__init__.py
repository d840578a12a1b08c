"""paperdeck: a keyboard-only terminal reader for research-paper listings."""

__version__ = "0.1.0"
