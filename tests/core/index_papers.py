"""The eight papers the search index tests use, their titles, and a library holding them."""

from __future__ import annotations

import copy
from pathlib import Path

from paperdeck.core.models import Paper
from paperdeck.core.store import Library

PAPERS = [
    Paper(
        title="Deep Reinforcement Learning for Robot Control",
        authors=["Ann Lee", "Bo Chen"],
        abstract="We train control policies with policy gradients on real robots.",
        date="2024-03-01",
        categories=["cs.LG", "cs.RO"],
        affiliations=["Stanford University"],
    ),
    Paper(
        title="Attention Is All You Need",
        authors=["Ashish Vaswani", "Noam Shazeer"],
        abstract="The transformer replaces recurrence with attention; no reinforcement here.",
        date="2017-06-12",
        categories=["cs.CL"],
        affiliations=["Google Brain"],
    ),
    Paper(
        title="Graph Neural Networks: A Review",
        authors=["Jürgen Müller"],
        abstract="We survey neural networks on graphs and message passing.",
        date="2020-01-15",
        categories=["cs.LG"],
        affiliations=["ETH Zürich"],
    ),
    Paper(
        title="Learning from Human Feedback",
        authors=["Carol Diaz"],
        abstract="Language models are tuned with reinforcement signals from human preferences.",
        date="2022-05-01",
        categories=["cs.CL", "cs.LG"],
        affiliations=["OpenAI"],
    ),
    Paper(
        title="Neural Graph Rendering",
        authors=["Dan Ito"],
        abstract="Rendering scenes with a fitted field.",
        date="2023-09-09",
        categories=["cs.CV"],
    ),
    Paper(
        title="Diffusion Models Beat GANs",
        authors=["Eve Park"],
        abstract="Better samples for image synthesis.",
        date="2021-05-11",
        categories=["cs.CV"],
    ),
    Paper(
        title="Image Synthesis Benchmarks",
        authors=["Fay Wong"],
        abstract="We compare diffusion samplers and GANs on many image synthesis benchmarks.",
        date="2021-07-01",
        categories=["cs.CV"],
    ),
    Paper(
        title="A Survey of Robot Learning",
        authors=["Gus Hall"],
        abstract="Robots learn from demonstrations; reinforcement learning appears briefly.",
        date="2025-02-02",
        categories=["cs.RO"],
    ),
]
RL = "Deep Reinforcement Learning for Robot Control"
ATTENTION = "Attention Is All You Need"
GNN = "Graph Neural Networks: A Review"
RLHF = "Learning from Human Feedback"
RENDERING = "Neural Graph Rendering"
DIFFUSION = "Diffusion Models Beat GANs"
SYNTHESIS = "Image Synthesis Benchmarks"
ROBOTS = "A Survey of Robot Learning"


def make_library(root: Path) -> Library:
    library = Library(root)
    library.add_papers(copy.deepcopy(PAPERS))
    return library


def ids_by_title(library: Library) -> dict[str, str]:
    return {p.title: p.id for p in library.iter_papers()}
