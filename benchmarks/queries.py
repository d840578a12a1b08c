"""The fixed query set: terms, prefixes, phrases, fielded and boolean queries."""

QUERIES = [
    "learning",
    "diffusion",
    "protein",
    "quantization",
    "watermark",
    "reinf*",
    "gener*",
    "calib*",
    '"reinforcement learning"',
    '"large language"',
    '"neural radiance fields"',
    "title:diffusion",
    "author:wang",
    "tag:llm",
    "cat:cs.RO",
    "robot AND planning",
    "vision OR speech",
    "policy -reward",
    "(graph OR molecular) AND protein",
    "year:2023 transformer",
]
