"""A deterministic synthetic library: realistic enough to measure, written as JSONL.

Titles, author lists, ~180-word abstracts drawn from a Zipf-like vocabulary (a few hundred
real research words at the head, invented words in the long tail), arXiv categories, code
links, 3% starred, 5% with notes, some tags. The same seed always gives the same file.

Word statistics: function words are about a third of an abstract's words (real abstracts:
40-50%), and common collocations ("large language model", "reinforcement learning") occur
as phrases, in about half the sentences, so a phrase of common words has the hit counts and
the positions it has in real text. ``--format arxiv`` writes the same papers as lines of
arXiv's metadata snapshot (`authors_parsed`, `versions`, `update_date`; no user state).
"""

from __future__ import annotations

import argparse
import datetime
import email.utils
import json
import random
from itertools import accumulate
from pathlib import Path

SEED = 20250601
HEAD = [
    "learning",
    "model",
    "models",
    "neural",
    "network",
    "networks",
    "language",
    "large",
    "training",
    "data",
    "deep",
    "reinforcement",
    "policy",
    "agent",
    "agents",
    "reward",
    "transformer",
    "attention",
    "diffusion",
    "image",
    "images",
    "video",
    "generation",
    "generative",
    "text",
    "vision",
    "graph",
    "graphs",
    "optimization",
    "gradient",
    "loss",
    "benchmark",
    "benchmarks",
    "evaluation",
    "dataset",
    "datasets",
    "performance",
    "method",
    "methods",
    "approach",
    "task",
    "tasks",
    "results",
    "state",
    "art",
    "propose",
    "proposed",
    "show",
    "novel",
    "framework",
    "efficient",
    "scalable",
    "robust",
    "inference",
    "reasoning",
    "retrieval",
    "embedding",
    "embeddings",
    "representation",
    "representations",
    "semantic",
    "segmentation",
    "detection",
    "object",
    "objects",
    "classification",
    "regression",
    "supervised",
    "unsupervised",
    "self",
    "contrastive",
    "pretraining",
    "fine",
    "tuning",
    "alignment",
    "human",
    "feedback",
    "preference",
    "instruction",
    "prompt",
    "prompts",
    "chain",
    "thought",
    "mathematical",
    "problems",
    "solving",
    "code",
    "program",
    "synthesis",
    "robot",
    "robotics",
    "control",
    "planning",
    "navigation",
    "simulation",
    "physical",
    "world",
    "multimodal",
    "audio",
    "speech",
    "recognition",
    "translation",
    "multilingual",
    "low",
    "resource",
    "sparse",
    "mixture",
    "experts",
    "quantization",
    "compression",
    "pruning",
    "distillation",
    "knowledge",
    "memory",
    "context",
    "window",
    "long",
    "sequence",
    "sequences",
    "token",
    "tokens",
    "decoding",
    "sampling",
    "search",
    "tree",
    "monte",
    "carlo",
    "bayesian",
    "probabilistic",
    "uncertainty",
    "calibration",
    "causal",
    "discovery",
    "time",
    "series",
    "forecasting",
    "anomaly",
    "federated",
    "privacy",
    "differential",
    "secure",
    "adversarial",
    "attacks",
    "defense",
    "robustness",
    "fairness",
    "bias",
    "interpretability",
    "explanation",
    "theoretical",
    "analysis",
    "convergence",
    "bound",
    "bounds",
    "complexity",
    "algorithm",
    "algorithms",
    "linear",
    "nonlinear",
    "convex",
    "stochastic",
    "variational",
    "autoencoder",
    "latent",
    "space",
    "manifold",
    "geometric",
    "equivariant",
    "molecular",
    "protein",
    "drug",
    "discovery",
    "medical",
    "clinical",
    "imaging",
    "scene",
    "understanding",
    "3d",
    "point",
    "cloud",
    "rendering",
    "neural",
    "radiance",
    "fields",
    "editing",
    "style",
    "transfer",
    "super",
    "resolution",
    "denoising",
    "hallucination",
    "factual",
    "safety",
    "jailbreak",
    "red",
    "teaming",
    "watermark",
    "detection",
    "evaluate",
    "evaluating",
    "outperforms",
    "existing",
    "baselines",
    "significantly",
    "achieve",
    "achieves",
    "competitive",
    "computational",
    "cost",
    "efficiency",
    "parameters",
    "layers",
    "architecture",
    "architectures",
    "scaling",
    "laws",
    "emergent",
    "abilities",
    "zero",
    "shot",
    "few",
    "in-context",
    "meta",
    "continual",
    "lifelong",
    "transfer",
    "domain",
    "adaptation",
    "generalization",
    "out",
    "distribution",
    "shift",
]
STOP = [
    "the",
    "of",
    "and",
    "to",
    "a",
    "in",
    "for",
    "is",
    "on",
    "with",
    "that",
    "we",
    "by",
    "this",
    "as",
    "are",
    "from",
    "an",
    "be",
    "our",
    "which",
]
COLLOCATIONS = [
    "large language model",
    "large language models",
    "reinforcement learning",
    "neural network",
    "deep neural networks",
    "neural radiance fields",
    "state of the art",
    "diffusion model",
    "graph neural network",
    "chain of thought",
    "mixture of experts",
    "human feedback",
    "object detection",
    "semantic segmentation",
    "contrastive learning",
    "self supervised learning",
    "fine tuning",
    "in context learning",
    "speech recognition",
    "machine translation",
]
SYLLABLES = [
    "ka",
    "ro",
    "mi",
    "tel",
    "van",
    "dor",
    "qui",
    "sen",
    "lu",
    "bra",
    "pho",
    "tra",
    "gen",
    "lex",
    "mor",
    "nu",
    "zel",
    "fa",
    "cri",
    "dum",
    "ost",
    "pel",
    "vor",
    "ish",
    "an",
    "el",
    "ur",
    "im",
    "ter",
    "bal",
    "cin",
    "dex",
    "fyr",
    "gol",
    "hul",
]
FIRST = [
    "Wei",
    "Li",
    "Maria",
    "Anna",
    "John",
    "David",
    "Yuki",
    "Arjun",
    "Sara",
    "Omar",
    "Elena",
    "Chen",
    "Lucas",
    "Priya",
    "Hiro",
    "Ana",
    "Jonas",
    "Fatima",
    "Ivan",
    "Mei",
    "Noah",
    "Zoe",
    "Pablo",
    "Nadia",
    "Tomás",
    "Björn",
    "Ayşe",
    "Kenji",
    "Amara",
    "Lena",
]
LAST = [
    "Wang",
    "Zhang",
    "Smith",
    "Müller",
    "Garcia",
    "Kim",
    "Patel",
    "Nguyen",
    "Rossi",
    "Silva",
    "Kowalski",
    "Tanaka",
    "Cohen",
    "Ivanova",
    "Dubois",
    "Haddad",
    "Okafor",
    "Larsen",
    "Novak",
    "Santos",
    "Yilmaz",
    "Schmidt",
    "Sato",
    "Chen",
    "Liu",
    "Gupta",
    "Brown",
    "Johnson",
    "Rahman",
    "Costa",
]
CATEGORIES = [
    "cs.LG",
    "cs.CL",
    "cs.CV",
    "cs.AI",
    "cs.RO",
    "stat.ML",
    "cs.IR",
    "cs.CR",
    "math.OC",
    "q-bio.QM",
    "eess.AS",
]
AFFILIATIONS = [
    "MIT",
    "Stanford University",
    "Tsinghua University",
    "ETH Zürich",
    "Google DeepMind",
    "University of Oxford",
    "Meta AI",
    "KAIST",
    "University of Toronto",
    "Microsoft Research",
]
TAGS = ["to-read", "rl", "llm", "vision", "survey", "reproduce", "teaching", "benchmark"]


def invented_words(rng: random.Random, count: int) -> list[str]:
    words: set[str] = set()
    while len(words) < count:
        words.add("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))))
    return sorted(words)


class Generator:
    def __init__(self, seed: int = SEED, vocabulary: int = 40_000) -> None:
        self.rng = random.Random(seed)
        tail = [w for w in invented_words(self.rng, vocabulary) if w not in HEAD]
        self.rng.shuffle(tail)  # rank must not follow the alphabet
        self.words = HEAD + tail
        weights = [1.0 / (rank + 1) ** 1.07 for rank in range(len(self.words))]
        self.cumulative = list(accumulate(weights))

    def _words(self, k: int) -> list[str]:
        return self.rng.choices(self.words, cum_weights=self.cumulative, k=k)

    def sentence(self, k: int) -> str:
        words = self._words(k)
        for i in range(1, len(words), 2):  # function words, about a third, as prose has
            words[i] = f"{self.rng.choice(STOP)} {words[i]}"
        if self.rng.random() < 0.5:  # a collocation, as a phrase
            words.insert(self.rng.randrange(len(words) + 1), self.rng.choice(COLLOCATIONS))
        text = " ".join(words)
        return text[:1].upper() + text[1:] + "."

    def paper(self, n: int) -> dict[str, object]:
        rng = self.rng
        year = 2019 + n % 7
        month, day = 1 + (n // 7) % 12, 1 + (n // 84) % 28
        title_words = self._words(rng.randint(5, 11))
        title = " ".join(title_words).capitalize()
        if rng.random() < 0.3:
            title = f"{rng.choice(HEAD).capitalize()}: {title}"
        authors = [f"{rng.choice(FIRST)} {rng.choice(LAST)}" for _ in range(rng.randint(1, 9))]
        abstract, length = [], 0
        target = int(rng.gauss(180, 30))
        while length < target:
            k = rng.randint(12, 28)
            abstract.append(self.sentence(k))
            length += k + k // 4
        cats = rng.sample(CATEGORIES, rng.randint(1, 3))
        paper: dict[str, object] = {
            "id": f"{year % 100:02d}{month:02d}.{n:05d}",
            "arxiv_id": f"{year % 100:02d}{month:02d}.{n % 100000:05d}",
            "title": title,
            "authors": authors,
            "abstract": " ".join(abstract),
            "date": f"{year}-{month:02d}-{day:02d}",
            "categories": cats,
            "affiliations": rng.sample(AFFILIATIONS, rng.randint(0, 2)),
            "links": [],
            "has_code": False,
        }
        if n % 5 < 2:  # not drawn from ``rng``: every other field is as before DOIs came
            paper["doi"] = doi_of(n, year)
        if rng.random() < 0.35:
            paper["links"] = [f"https://github.com/{rng.choice(LAST).lower()}/{title_words[0]}-{n}"]
            paper["has_code"] = True
        if rng.random() < 0.03:
            paper["starred"] = True
            paper["starred_at"] = f"{year}-{month:02d}-{day:02d}T09:00:00.000+00:00"
        if rng.random() < 0.05:
            paper["note"] = self.sentence(rng.randint(8, 30))
        if rng.random() < 0.08:
            paper["tags"] = rng.sample(TAGS, rng.randint(1, 2))
        if rng.random() < 0.4:
            paper["read"] = True
        return paper


JOURNALS = {  # DOI prefix: the journal's name, for the snapshot's journal-ref
    "10.1103/PhysRevD": "Phys. Rev. D",
    "10.1016/j.neunet": "Neural Networks",
    "10.1145/3580305": "Proc. KDD",
    "10.1109/TPAMI": "IEEE Trans. Pattern Anal. Mach. Intell.",
}


def doi_of(n: int, year: int) -> str:
    """A DOI for paper ``n``: two papers in five have one, in the mixed case real DOIs
    have ("10.1103/PhysRevD.76.013009"), so that imports look each one up."""
    return f"{list(JOURNALS)[n % len(JOURNALS)]}.{year % 100}.{n:06d}"


def snapshot_line(paper: dict[str, object]) -> dict[str, object]:
    """One paper as a line of arXiv's metadata snapshot (its keys, its date formats)."""
    authors = [str(name) for name in paper["authors"]]  # type: ignore[attr-defined]
    day = datetime.date.fromisoformat(str(paper["date"]))
    created = email.utils.format_datetime(
        datetime.datetime(day.year, day.month, day.day, 17, 30, tzinfo=datetime.UTC), usegmt=True
    )
    return {
        "id": paper["arxiv_id"],
        "submitter": authors[0],
        "authors": ", ".join(authors),
        "title": paper["title"],
        "comments": "12 pages, 4 figures",
        "journal-ref": _journal_ref(paper.get("doi"), day.year),
        "doi": paper.get("doi"),
        "report-no": None,
        "categories": " ".join(paper["categories"]),  # type: ignore[arg-type]
        "license": "http://arxiv.org/licenses/nonexclusive-distrib/1.0/",
        "abstract": f"  {paper['abstract']}\n",
        "versions": [{"version": "v1", "created": created}],
        "update_date": day.isoformat(),
        "authors_parsed": [[*name.rsplit(" ", 1)[::-1], ""] for name in authors],
    }


def _journal_ref(doi: object, year: int) -> str | None:
    if not isinstance(doi, str):
        return None
    return next(f"{name} ({year})" for prefix, name in JOURNALS.items() if doi.startswith(prefix))


# Bumped whenever the papers written change: a file of an older generation (without DOIs,
# say) is written again rather than reused.
GENERATION = "generation 2 (DOIs)"


def write_library(path: Path, papers: int, seed: int = SEED, form: str = "paperdeck") -> Path:
    """Write ``papers`` papers to ``path`` as JSON Lines (skipped if already there), in
    paperdeck's own shape or (``form="arxiv"``) as arXiv's metadata snapshot."""
    done = path.with_suffix(".done")
    stamp = f"{papers} papers, seed {seed}, {form}, {GENERATION}"
    if path.exists() and path.stat().st_size and done.exists() and done.read_text() == stamp:
        return path
    gen = Generator(seed)
    tmp = path.with_suffix(".tmp")
    shape = snapshot_line if form == "arxiv" else (lambda paper: paper)
    with tmp.open("w", encoding="utf-8") as out:
        for n in range(papers):
            out.write(json.dumps(shape(gen.paper(n)), ensure_ascii=False) + "\n")
    tmp.replace(path)
    done.write_text(stamp)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--papers", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--format", choices=("paperdeck", "arxiv"), default="paperdeck")
    parser.add_argument("output", type=Path)
    args = parser.parse_args()
    write_library(args.output, args.papers, args.seed, args.format)


if __name__ == "__main__":
    main()
