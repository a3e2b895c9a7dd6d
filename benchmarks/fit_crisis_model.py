"""Fit the crisis detector's learned layer (``helpbot/crisis/learned.py``).

    pip install -e '.[fit]'
    python -m benchmarks.fit_crisis_model [--out helpbot/crisis/data/crisis_model.npz]

What it is fitted on, and what it is not:

- **fitted on** the labelled messages of ``tests/data/crisis_eval.yaml`` and
  ``tests/data/crisis_heldout.yaml`` (crisis lines by category, everyday lines and FAQ
  questions as ``none``), the example sentences of ``faq/crisis.yaml``, and the everyday
  messages near a danger's topic shipped in ``helpbot/crisis/data/everyday.yaml`` (``none``);
- **never on** ``tests/data/crisis_fresh.yaml`` and ``tests/data/crisis_unseen.yaml``, the sets
  kept back to measure how the detector does on ways of writing nobody fitted anything to
  (``helpbot bench crisis --eval tests/data/crisis_unseen.yaml``).

The regularisation ``C`` is chosen by 5-fold cross-validation (log loss) on the fitting data,
and the threshold is the lowest at which the cross-validated model alone alarms on at most
``--everyday-alarms`` of the everyday messages. A message in another language gets a threshold
of its own, the lowest at which the fitted model alarms on at most ``--foreign-alarms`` of the
ordinary questions of ``benchmarks/data/queries_dev_multilingual.jsonl`` (our translations of
municipal questions into eight languages; not fitted on). All are printed with the file written.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import numpy as np
import yaml

from helpbot.crisis.learned import MODEL_FILE, NONE, builtin_everyday, write_weights
from helpbot.crisis.meaning import MeaningLayer, sentences
from helpbot.matching.semantic import MODEL_ID, shared_encoder

ROOT = Path(__file__).resolve().parents[1]
FIT_SETS = (ROOT / "tests/data/crisis_eval.yaml", ROOT / "tests/data/crisis_heldout.yaml")
CRISIS_FILE = ROOT / "faq/crisis.yaml"
FOREIGN_QUESTIONS = ROOT / "benchmarks/data/queries_dev_multilingual.jsonl"
C_GRID = (1.0, 3.0, 10.0, 30.0)


def fitting_data() -> list[tuple[str, str]]:
    rows: list[tuple[str, str]] = []
    for path in FIT_SETS:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        rows += [(item["text"], item["category"]) for item in data["crisis"]]
        rows += [(item["text"], NONE) for item in data["everyday"]]
    rows += [(text, NONE) for text in builtin_everyday()]
    rules = yaml.safe_load(CRISIS_FILE.read_text(encoding="utf-8"))
    for category in rules["categories"]:
        rows += [(text, category["id"]) for text in category.get("exemplars") or ()]
    return rows


def _sentences(text: str) -> list[str]:
    """The sentences of a long message the service scores on their own (``meaning.py``)."""
    return [s for s in sentences(text) if MeaningLayer.applies_to(s)]


def _most_alarming(fitted: Any, encoder: Any, pieces: list[str]) -> float:
    """The model's chance of danger for the most alarming of ``pieces``, as the service
    takes it (``CrisisModel.likely``)."""
    none = list(fitted.classes_).index(NONE)
    chances = fitted.predict_proba(np.stack([encoder.encode_query(p[:500]) for p in pieces]))
    return float((1.0 - chances[:, none]).max())


def main() -> None:
    try:
        from sklearn.linear_model import LogisticRegression
        from sklearn.model_selection import StratifiedKFold, cross_val_predict
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise SystemExit("scikit-learn is needed to fit: pip install -e '.[fit]'") from exc
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=MODEL_FILE)
    parser.add_argument("--everyday-alarms", type=float, default=0.04)
    parser.add_argument("--foreign-alarms", type=float, default=0.01)
    args = parser.parse_args()

    rows = fitting_data()
    encoder = shared_encoder(None)
    vectors = np.stack([encoder.encode_query(text[:500]) for text, _ in rows])
    labels = np.array([label for _, label in rows])
    folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=20261130)

    def model(c: float) -> LogisticRegression:
        return LogisticRegression(C=c, max_iter=5000, class_weight="balanced")

    losses = {}
    for c in C_GRID:
        chances = cross_val_predict(model(c), vectors, labels, cv=folds, method="predict_proba")
        classes = sorted(set(labels))
        truth = np.array([classes.index(label) for label in labels])
        losses[c] = float(-np.mean(np.log(chances[np.arange(len(labels)), truth] + 1e-12)))
    best = min(losses, key=losses.__getitem__)
    chances = cross_val_predict(model(best), vectors, labels, cv=folds, method="predict_proba")
    danger = 1.0 - chances[:, sorted(set(labels)).index(NONE)]
    # an everyday message as the service scores it: the most alarming of the whole and, in a
    # long one, each sentence (its sentences scored by the model fitted without its fold)
    for fitted_on, held in folds.split(vectors, labels):
        partial = model(best).fit(vectors[fitted_on], labels[fitted_on])
        for row in held:
            text, label = rows[row]
            pieces = _sentences(text)
            if label == NONE and pieces:
                danger[row] = max(danger[row], _most_alarming(partial, encoder, pieces))
    everyday = np.sort(danger[labels == NONE])
    allowed = int(np.floor(args.everyday_alarms * len(everyday)))
    threshold = float(everyday[len(everyday) - allowed - 1]) + 1e-6 if allowed else 1.0
    threshold = round(min(max(threshold, 0.5), 0.99), 3)
    recall = float((danger[labels != NONE] >= threshold).mean())

    fitted = model(best).fit(vectors, labels)
    questions = [json.loads(line)["query"] for line in
                 FOREIGN_QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    # as the service scores a message: the whole and, in a long one, each sentence; the most
    # alarming counts; languages the layer leaves to the word lists are left out
    questions = [text for text in questions if MeaningLayer.applies_to(text)]
    ordinary = np.sort([_most_alarming(fitted, encoder, [text, *_sentences(text)])
                        for text in questions])
    allowed = int(np.floor(args.foreign_alarms * len(ordinary)))
    foreign = float(ordinary[len(ordinary) - allowed - 1]) + 1e-6
    foreign = round(min(max(foreign, threshold), 0.995), 3)
    write_weights(args.out, encoder=MODEL_ID, fitted=fitted, threshold=threshold,
                  foreign_threshold=foreign)
    print(json.dumps({
        "out": str(args.out), "messages": len(rows), "crisis": int((labels != NONE).sum()),
        "everyday": int((labels == NONE).sum()), "cv_log_loss": losses, "C": best,
        "threshold": threshold, "foreign_threshold": foreign,
        "foreign_questions": len(questions),
        "foreign_question_alarms_alone": round(float((ordinary >= foreign).mean()), 4),
        "cv_recall_alone": round(recall, 4),
        "cv_everyday_alarms_alone": round(float((everyday >= threshold).mean()), 4),
    }, indent=2))


if __name__ == "__main__":
    main()
