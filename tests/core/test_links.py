"""Link extraction, cleaning and classification, as the parsers rely on them."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from paperdeck.core.links import (
    arxiv_subject_class,
    classify_link,
    clean_url,
    extract_links,
    find_arxiv_id,
    is_repository,
    ordered_union,
    parse_arxiv_id,
)
from paperdeck.core.models import Paper


@pytest.mark.parametrize(
    ("text", "links"),
    [
        ("The code is available at https://github.com/a/b.", ["https://github.com/a/b"]),
        ("code at: https://github.com/HKUDS/LLMRec.git", ["https://github.com/HKUDS/LLMRec"]),
        (
            "https://github.com/Alibaba-NLP/LaRA{https://github.com/Alibaba-NLP/LaRA}.",
            ["https://github.com/Alibaba-NLP/LaRA"],
        ),
        (
            "(see https://en.wikipedia.org/wiki/Foo_(bar)) and https://x.org/a)",
            ["https://en.wikipedia.org/wiki/Foo_(bar)", "https://x.org/a"],
        ),
        (
            "www.example.com/page, github.com/u/r and gitlab.com/g/p/ (see www.example.com)",
            ["https://www.example.com/page", "https://github.com/u/r", "https://gitlab.com/g/p"],
        ),
        ("HTTPS://GitHub.com/Owner/Repo/", ["https://github.com/Owner/Repo"]),
        ("http://www.github.com/o/r.git", ["https://github.com/o/r"]),
        ('<https://x.org/y> and "https://x.org/q"', ["https://x.org/y", "https://x.org/q"]),
        ("https://github.com/a/b... https://github.com/a/b", ["https://github.com/a/b"]),
        ("https://a.b:8080/p?q=1#f", ["https://a.b:8080/p?q=1#f"]),
        ("http://localhost:8000/x and mail bob@github.com/x", []),
        ("https://llm-stacking.github.io/", ["https://llm-stacking.github.io/"]),
        # Text in other scripts glued to a link: its punctuation and words are not the link's
        (
            "released at “https://github.com/liwei/qlp”. 代码见https://github.com/liwei/qlp2"
            "。更多信息：https://liwei.github.io/qlp，谢谢。",
            [
                "https://github.com/liwei/qlp",
                "https://github.com/liwei/qlp2",
                "https://liwei.github.io/qlp",
            ],
        ),
        ("コードはhttps://github.com/a/b（公開済み）", ["https://github.com/a/b"]),
        ("Code: https://github.com/a/b · Google DeepMind", ["https://github.com/a/b"]),
        (
            "see https://de.wikipedia.org/wiki/Ölpreis→ here",
            ["https://de.wikipedia.org/wiki/Ölpreis"],
        ),
    ],
)
def test_extract_links(text: str, links: list[str]) -> None:
    assert extract_links(text) == links


def test_clean_url_rejects_non_links() -> None:
    assert clean_url("") is None
    assert clean_url("localhost/x") is None
    assert clean_url("http://[::1") is None
    assert clean_url(" github.com/a/b/ ") == "https://github.com/a/b"


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("https://github.com/a/b", "code"),
        ("https://github.com/user", "project"),
        ("https://www.github.com/a/b", "code"),
        ("https://gitlab.com/g/p", "code"),
        ("https://huggingface.co/apple/OpenELM", "code"),
        ("https://huggingface.co/apple", "project"),
        ("https://huggingface.co/datasets/x/y", "code"),
        ("https://huggingface.co/datasets/x", "project"),
        ("https://huggingface.co/spaces/u/app", "code"),
        ("https://huggingface.co/docs/transformers", "project"),
        ("https://huggingface.co/papers/2401.01234", "project"),
        ("https://mm-rlhf.github.io", "project"),
        ("not a url", "project"),
    ],
)
def test_classify_link(url: str, kind: str) -> None:
    assert classify_link(url) == kind
    assert is_repository(url) == (kind == "code")


@pytest.mark.parametrize(
    ("value", "arxiv_id", "subject_class"),
    [
        ("2401.01234v2", "2401.01234", None),
        ("arXiv:2401.01234", "2401.01234", None),
        ("http://arxiv.org/abs/math/9709040v1", "math/9709040", None),
        # An old-style id written with its subject class names the same paper without it.
        ("math.QA/9709040", "math/9709040", "math.QA"),
        ("https://arxiv.org/abs/math.QA/9709040v2", "math/9709040", "math.QA"),
        ("cond-mat.str-el/0502076v1", "cond-mat/0502076", "cond-mat.str-el"),
        ("HEP-TH/9711200", "hep-th/9711200", None),
        ("not an id", None, None),
    ],
)
def test_arxiv_ids_have_one_spelling(
    value: str, arxiv_id: str | None, subject_class: str | None
) -> None:
    assert parse_arxiv_id(value) == arxiv_id
    assert find_arxiv_id(f"see arXiv:{value.removeprefix('arXiv:')}.") == arxiv_id
    assert arxiv_subject_class(value) == subject_class


def test_arxivs_oai_identifier_is_its_id() -> None:
    assert parse_arxiv_id("oai:arXiv.org:2508.13167v1") == "2508.13167"
    assert parse_arxiv_id("oai:arXiv.org:math/9709040v1") == "math/9709040"
    assert parse_arxiv_id("oai:example.org:2508.13167v1") is None


def test_ordered_union_keeps_first_seen_order() -> None:
    assert ordered_union(["b", "a"], ["a", "c"], []) == ["b", "a", "c"]


def test_paper_link_properties() -> None:
    paper = Paper(
        title="T",
        links=["https://site.org", "https://github.com/a/b", "https://huggingface.co/m/n"],
        doi="10.1/x",
    )
    assert paper.code_link == "https://github.com/a/b"
    assert paper.project_links == ["https://site.org"]
    assert paper.primary_link == "https://doi.org/10.1/x"
    assert paper.page_link == "https://doi.org/10.1/x"


def test_the_page_link_is_never_a_code_link_the_bibtex_fallback_may_be() -> None:
    code_first = Paper(title="T", links=["https://github.com/a/b", "https://site.org/p"])
    assert code_first.page_link == "https://site.org/p"  # what `y` copies, a title links to
    assert code_first.primary_link == "https://github.com/a/b"  # BibTeX's url, unchanged
    code_only = Paper(title="T", links=["https://huggingface.co/datasets/o/d"])
    assert (code_only.page_link, code_only.primary_link) == (None, code_only.links[0])
    arxiv = Paper(title="T", arxiv_id="2401.00001", links=["https://site.org/p"])
    assert arxiv.page_link == arxiv.primary_link == "https://arxiv.org/abs/2401.00001"


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_extracted_links_are_clean_and_stable(text: str) -> None:
    links = extract_links(text)
    assert len(links) == len(set(links))
    for url in links:
        assert url.startswith(("http://", "https://"))
        assert clean_url(url) == url
        assert extract_links(url) == [url]


FRAGMENTS = ["https://", "HTTP://", "www.", "WWW.", "github.com/", "GitHub.COM/", "gitlab.com/"]
FRAGMENTS += ["huggingface.co/", "HuggingFace.Co/", "a", "b/c", " ", ".", "/", "(", ")", "\n"]


@given(st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join))
def test_the_quick_check_for_links_misses_none(text: str) -> None:
    """`extract_links` skips texts without '://', 'www.' or '.co': the pattern finds none there."""
    from paperdeck.core.links import _bare_domain, _url

    matches = [m.group(0) for m in _url().finditer(text) if not _bare_domain(m.group(0))]
    expected = list(dict.fromkeys(u for m in matches if (u := clean_url(m))))
    assert extract_links(text) == expected
