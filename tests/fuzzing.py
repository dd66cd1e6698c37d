"""Random damage for the fuzz tests: values of the wrong type, size or shape, put where data was."""

from __future__ import annotations

import copy
import json
import random
from typing import Any

ODD = (
    None, 0, -1, 10**40, 1.5e308, True, "", "x" * 3000, [], {}, "<!channel>", "\ud800", "\x00", "é",
    {"a": [1, {"b": None}]}, json.loads("[" * 30 + "]" * 30), "U0ASKER", "1.000001", "2027-13-45", "25:99",
    "{{ nope }}", "{unclosed", "2027-01-18 07:00", "07:00", "Europe/Nowhere", "#golive-triage",
)  # fmt: skip


def mangle(value: Any, rng: random.Random) -> None:
    """Replace or delete one thing somewhere inside `value` (a dict or list), in place."""
    if not isinstance(value, dict | list) or not value:
        return
    key = rng.choice(list(value)) if isinstance(value, dict) else rng.randrange(len(value))
    inner = value[key]
    if isinstance(inner, dict | list) and inner and rng.random() < 0.45:
        mangle(inner, rng)
    elif isinstance(value, dict) and rng.random() < 0.2:
        del value[key]
    else:
        value[key] = copy.deepcopy(rng.choice(ODD))
