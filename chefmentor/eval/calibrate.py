"""Fit the local engine's softmax temperature and abstention settings on a (development) case file.

`python -m chefmentor.eval.calibrate fixtures/eval/cases.jsonl` grid-searches TEMPERATURE, ABSTAIN_LOGIT
and ABSTAIN_BELOW for the best accuracy at low expected calibration error and prints the winners, to be
copied into chefmentor/ai/local/scoring.py. Never fit on the held-out split.
"""

from __future__ import annotations

import itertools
import sys
from dataclasses import dataclass

from chefmentor.ai.local import dishes
from chefmentor.ai.local.engine import gather_evidence
from chefmentor.ai.local.evidence import Evidence
from chefmentor.ai.local.scoring import score
from chefmentor.config import Settings, load_settings
from chefmentor.eval.cases import EvalCase, load_cases
from chefmentor.eval.metrics import expected_calibration_error
from chefmentor.eval.runner import build_request

TEMPERATURES = (0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.45, 0.55, 0.65, 0.75, 0.9, 1.0)
ABSTAIN_LOGITS = (0.8, 1.0, 1.2, 1.4, 1.6, 1.8, 2.0, 2.2)
ABSTAIN_BELOW = (0.3, 0.35, 0.4, 0.45, 0.5, 0.55)
ECE_PENALTY = 0.5


@dataclass(frozen=True)
class Fit:
    temperature: float
    abstain_logit: float
    abstain_below: float
    accuracy: float
    ece: float

    @property
    def objective(self) -> float:
        return self.accuracy - ECE_PENALTY * self.ece


def evidence_for(cases: list[EvalCase], settings: Settings) -> list[tuple[str, list[Evidence]]]:
    out = []
    for case in cases:
        request = build_request(case, settings)
        families = dishes.dish_families(request.dish, request.recipe_name)
        out.append((case.expected, gather_evidence(request, families)))
    return out


def fit(examples: list[tuple[str, list[Evidence]]]) -> list[Fit]:
    fits = []
    for temperature, logit, below in itertools.product(TEMPERATURES, ABSTAIN_LOGITS, ABSTAIN_BELOW):
        confidences, correct = [], []
        for expected, evidence in examples:
            scored = score(evidence, temperature=temperature, abstain_logit=logit, abstain_below=below)
            confidences.append(scored.confidence)
            correct.append(scored.category == expected)
        accuracy = sum(correct) / len(correct)
        fits.append(Fit(temperature, logit, below, accuracy, expected_calibration_error(confidences, correct)))
    return sorted(fits, key=lambda f: (f.objective, -f.ece), reverse=True)


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        sys.stderr.write("usage: python -m chefmentor.eval.calibrate CASES.jsonl\n")
        return 2
    settings = load_settings(offline=True)
    examples = evidence_for(load_cases(argv[0]).cases, settings)
    for best in fit(examples)[:8]:
        sys.stdout.write(
            f"T={best.temperature} abstain_logit={best.abstain_logit} abstain_below={best.abstain_below} "
            f"accuracy={best.accuracy:.3f} ece={best.ece:.3f}\n"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
