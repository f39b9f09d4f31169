"""Shared pieces of the hand-labelled evaluations (``nlp.entity_eval``,
``nlp.goal_eval`` ...): precision/recall/F1 counts and reading a labelled
JSON-lines sample from ``corpora/``. Each evaluation keeps its own matching
rule, since what counts as a hit differs (exact text for entities, span
overlap for goals)."""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass
class Score:
    """True and false positives, false negatives, and the errors behind them
    (``spurious``/``missed`` as (sample id, text) pairs, for the report)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    spurious: list[tuple[str, str]] = field(default_factory=list)
    missed: list[tuple[str, str]] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    """The records of a JSON-lines file (blank lines skipped)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]
