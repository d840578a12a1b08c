"""One link that cannot be parsed (a port out of range, a broken IPv6 host) drops that link
only: the paper keeps its other links, and the rest of the file imports, in every format."""

from __future__ import annotations

from datetime import date

import pytest

from paperdeck.core.links import clean_url, extract_links
from paperdeck.core.sources import FORMAT_NAMES, parse_lines, parse_text, split_lines

BAD = "http://x.org:99999/"
ABSTRACT = f"We study robots. Code at {BAD} and https://github.com/a/b."
GOOD = ["https://github.com/a/b"]
ATOM_ENTRY = (
    "<entry><id>http://arxiv.org/abs/1706.03762v7</id><title>Robots {n}</title>"
    "<summary>{abstract}</summary><link href='{bad}'/></entry>"
)
SAMPLES = {
    "json": (
        f'[{{"title": "Robots 1", "abstract": "{ABSTRACT}", "links": ["{BAD}"]}},'
        f' {{"title": "Robots 2", "abstract": "{ABSTRACT}"}}]'
    ),
    "daily": f"Mar 11\nRobots 1\n{ABSTRACT}\nMar 11\nRobots 2\n{ABSTRACT}\n",
    "listing": (
        f"CLJul 12, 2024\nRobots 1Biqing Qi, Kaiyan Zhang\n{ABSTRACT}\n"
        f"CLJul 12, 2024\nRobots 2Biqing Qi, Kaiyan Zhang\n{ABSTRACT}\n"
    ),
    "atom": (
        "<?xml version='1.0'?><feed xmlns='http://www.w3.org/2005/Atom'>"
        + "".join(ATOM_ENTRY.format(n=n, abstract=ABSTRACT, bad=BAD) for n in (1, 2))
        + "</feed>"
    ),
    "arxiv-feed": (
        "<rss version='2.0' xmlns:arxiv='http://arxiv.org/schemas/atom'><channel>"
        + "".join(
            f"<item><title>Robots {n}</title><link>{BAD}</link><description>arXiv:2401.0000{n}v1"
            f" Announce Type: new Abstract: {ABSTRACT}</description></item>"
            for n in (1, 2)
        )
        + "</channel></rss>"
    ),
    "bibtex": "".join(
        f"@article{{k{n}, title={{Robots {n}}}, author={{Qi, Biqing}},"
        f" abstract={{{ABSTRACT}}}, url={{{BAD}}}}}\n"
        for n in (1, 2)
    ),
}


def test_every_format_is_covered() -> None:
    assert sorted(SAMPLES) == sorted(FORMAT_NAMES)


@pytest.mark.parametrize("format", sorted(SAMPLES))
def test_a_bad_port_drops_the_link_not_the_paper(format: str) -> None:
    result = parse_text(SAMPLES[format], "x", format=format, today=date(2025, 3, 12))
    assert result.warnings == []
    assert [p.title for p in result.papers] == ["Robots 1", "Robots 2"]
    assert [p.links for p in result.papers] == [GOOD, GOOD]


def test_json_lines_read_as_a_stream_keep_every_paper() -> None:
    text = "".join(
        f'{{"title": "Robots {n}", "abstract": "{ABSTRACT}", "url": "{BAD}"}}\n' for n in (1, 2)
    )
    stream = parse_lines(split_lines(text), "x.jsonl")
    assert [p.links for p in stream.papers] == [GOOD, GOOD]
    assert stream.warnings == []


@pytest.mark.parametrize(
    "raw", [BAD, "https://x.org:-1/", "http://x.org:port/", "http://[::1/", "http://[zz]:80/"]
)
def test_unparseable_links_are_none(raw: str) -> None:
    assert clean_url(raw) is None
    assert extract_links(f"see {raw} and https://ok.org/a") == ["https://ok.org/a"]
