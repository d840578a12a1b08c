"""Medians and 95th percentiles of timings (nearest-rank)."""

from __future__ import annotations

import math
import statistics


def summary(values: list[float]) -> dict[str, float | int]:
    if not values:
        return {"n": 0}
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, math.ceil(0.95 * len(ordered)) - 1)]
    return {
        "n": len(values),
        "p50": statistics.median(ordered),
        "p95": p95,
        "max": ordered[-1],
    }
