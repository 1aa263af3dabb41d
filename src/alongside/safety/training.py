"""Fit the classifier on the corpus and write ``data/model.json`` (``alongside safety train``).

Deterministic: the same corpus gives the same JSON. The threshold is chosen on the dev
part (the lowest at which the whole detector, patterns OR classifier, keeps 0.85 precision:
when in doubt, review), then the model is refitted on
train and dev together with that threshold. The locked test part is never read here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from alongside.safety import classifier, context, forms, patterns
from alongside.safety.corpus import build as corpus
from alongside.safety.result import Level

C_VALUE = 8.0
MAX_FEATURES = 25_000
EXAMPLE_FEATURES = 20
MIN_DEV_PRECISION = 0.90  # of the classifier's own alerts on dev (validation); the bar is 0.80
# Never below this: with the tenth probe in train, dev alone picked 0.55, and at that level short
# everyday lines of the first detector's hard negatives ("I ran 5 kms today", "I could die of
# embarrassment") were raised by the classifier; at 0.65 they stay silent (tests/safety/test_legacy_cases.py).
# With probes 11-21 in train (round 21), dev picked 0.66, where "I wrote my note for school
# already?" (p 0.665) was raised by the classifier alone; 0.67 keeps dev recall at 1.000.
MIN_THRESHOLD = 0.67
# The level model never raises review to urgent below this probability.
MIN_URGENT_THRESHOLD = 0.5


@dataclass(frozen=True)
class TrainReport:
    rows: int
    features: int
    threshold: float
    dev_recall: float
    dev_precision: float
    urgent_threshold: float
    short_threshold: float


def _normalized(rows: list[dict[str, str]]) -> list[str]:
    return [patterns.normalize(r["text"]) for r in rows]


def _fit(texts: list[str], labels: list[int], urgent: list[int]) -> tuple[Any, Any, Any]:
    """The vectoriser, the alert model (must alert or not) and the level model (urgent or not)."""
    from sklearn.feature_extraction.text import TfidfVectorizer  # type: ignore[import-untyped]
    from sklearn.linear_model import LogisticRegression  # type: ignore[import-untyped]

    vectorizer = TfidfVectorizer(analyzer=classifier.ngrams, sublinear_tf=True, min_df=2, max_features=MAX_FEATURES)
    matrix = vectorizer.fit_transform(texts)
    model = LogisticRegression(C=C_VALUE, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=0)
    model.fit(matrix, labels)
    level = LogisticRegression(C=C_VALUE, class_weight="balanced", solver="liblinear", max_iter=5000, random_state=0)
    level.fit(matrix, urgent)
    return vectorizer, model, level


def _urgent(rows: list[dict[str, str]]) -> list[int]:
    return [int(r["level"] == "urgent") for r in rows]


def _choose_urgent_threshold(
    vectorizer: Any, models: tuple[Any, Any], threshold: float, rows: list[dict[str, str]], texts: list[str]
) -> float:
    """The level model's threshold with the best level agreement on dev, among the messages it can raise.

    Those are the ones the detector calls review without any context trigger: a review
    pattern, or the alert model alone. Ties go to the higher threshold: when in doubt, review.
    """
    from alongside.safety.detector import pattern_hits

    model, level_model = models
    candidates = []
    for row, text in zip(rows, texts, strict=True):
        hits = [h for h in pattern_hits(text) if h.level > Level.NONE]
        if any(h.level is Level.URGENT or h.contexts for h in hits):
            continue
        if not hits and (
            _highest(vectorizer, model, text) < max(threshold, classifier.URGENT_MIN_ALERT)
            or context.about_others_or_the_past(text)
        ):
            continue
        probability = float(level_model.predict_proba(vectorizer.transform([text]))[0, 1])
        candidates.append((row["level"] == "urgent", probability))
    best = (-1, 0.95)
    for step in range(95, 29, -1):
        candidate = step / 100
        agreed = sum(1 for urgent, p in candidates if urgent == (p >= candidate))
        if agreed > best[0]:
            best = (agreed, candidate)
    return max(best[1], MIN_URGENT_THRESHOLD)


def _choose_threshold(
    vectorizer: Any, model: Any, rows: list[dict[str, str]], texts: list[str]
) -> tuple[float, float, float]:
    probabilities = [_highest(vectorizer, model, text) for text in texts]
    patterned = [_pattern_alert(text) for text in texts]
    labels = [r["label"] == "1" for r in rows]
    best = (0.95, 0.0, 0.0)  # (threshold, recall, precision): the strictest if none qualifies
    for step in range(95, 19, -1):
        threshold = step / 100
        predicted = [a or q >= threshold for a, q in zip(patterned, probabilities, strict=True)]
        tp = sum(1 for y, p in zip(labels, predicted, strict=True) if y and p)
        # A denial or a memory the patterns raise as review (by design) is not the classifier's
        # false alert, and no threshold changes it: only the classifier's own false alerts count.
        fp = sum(1 for y, p, a in zip(labels, predicted, patterned, strict=True) if not y and p and not a)
        recall = tp / max(1, sum(labels))
        precision = tp / max(1, tp + fp)
        if precision >= MIN_DEV_PRECISION and threshold >= MIN_THRESHOLD:  # the lowest that keeps it precise
            best = (threshold, recall, precision)
    return best


def _choose_short_threshold(
    vectorizer: Any, model: Any, threshold: float, rows: list[dict[str, str]], texts: list[str]
) -> float:
    """The bar for a classifier-only alert on a short text (``classifier.SHORT_WORDS``), chosen on dev.

    Among dev's short texts that no pattern raises, the bar (never under
    ``classifier.SHORT_MIN_ALERT`` nor the alert threshold) with the fewest wrong decisions
    (false alerts plus misses, a miss counting twice: when in doubt, review); ties go to the higher bar. A precision target (0.90, then 0.80)
    pushed the bar to 0.95-0.97 and cut recall on the fourteenth probe from 0.983 to 0.760.
    """
    scored = [
        (row["label"] == "1", _highest(vectorizer, model, text))
        for row, text in zip(rows, texts, strict=True)
        if classifier.is_short(text) and not _pattern_alert(text)
    ]
    best = (-len(scored) - 1, 0.99)  # (right decisions minus wrong ones, bar); ties go to the higher bar
    for step in range(99, 0, -1):
        bar = step / 100
        if bar < max(threshold, classifier.SHORT_MIN_ALERT):
            break
        tp = sum(1 for y, p in scored if y and p >= bar)
        fp = sum(1 for y, p in scored if not y and p >= bar)
        fn = sum(1 for y, p in scored if y and p < bar)
        if tp - fp - fn > best[0]:
            best = (tp - fp - fn, bar)
    chosen = best[1]
    return chosen


def _highest(vectorizer: Any, model: Any, text: str) -> float:
    """As at run time: the highest probability of the whole message and of each of its sentences."""
    parts = [text, *classifier.sentences(text)]
    return float(max(model.predict_proba(vectorizer.transform(parts))[:, 1]))


def _pattern_alert(text: str) -> bool:
    from alongside.safety.detector import pattern_hits

    return any(h.level > Level.NONE for h in pattern_hits(text))


def _export(
    vectorizer: Any,
    models: tuple[Any, Any],
    thresholds: tuple[float, float, float],
    rows: list[dict[str, str]],
    texts: list[str],
) -> dict[str, Any]:
    model, level_model = models
    threshold, urgent_threshold, short_threshold = thresholds
    names = vectorizer.get_feature_names_out().tolist()
    matrix = vectorizer.transform(texts).tocsr()
    example_features = []
    for i in range(matrix.shape[0]):
        row = matrix.getrow(i)
        pairs = sorted(zip(row.indices.tolist(), row.data.tolist(), strict=True), key=lambda p: (-p[1], p[0]))
        example_features.append([[int(f), round(float(w), 4)] for f, w in pairs[:EXAMPLE_FEATURES]])
    return {
        "about": "Character n-gram TF-IDF + logistic regression for crisis language; built by `alongside safety train`.",
        "ngram_range": list(classifier.NGRAM_RANGE),
        "threshold": threshold,
        "intercept": round(float(model.intercept_[0]), 6),
        "features": names,
        "idf": [round(float(v), 5) for v in vectorizer.idf_],
        "coef": [round(float(v), 5) for v in model.coef_[0]],
        "urgent_threshold": urgent_threshold,
        "short_threshold": short_threshold,
        "urgent_intercept": round(float(level_model.intercept_[0]), 6),
        "urgent_coef": [round(float(v), 5) for v in level_model.coef_[0]],
        "examples": [[r["id"], r["category"] if r["label"] == "1" else "none"] for r in rows],
        "example_features": example_features,
    }


def train() -> TrainReport:
    """Rebuild the word forms and the classifier from the corpus; write both JSON files."""
    forms.write(forms.build(patterns.lemmas()))
    patterns.families.cache_clear()
    patterns.vocabulary.cache_clear()
    patterns.typos.cache_clear()
    rows = corpus.read()
    train_rows = [r for r in rows if r["split"] == "train"]
    dev_rows = [r for r in rows if r["split"] == "dev"]
    dev_texts = _normalized(dev_rows)
    vectorizer, model, level_model = _fit(
        _normalized(train_rows), [int(r["label"]) for r in train_rows], _urgent(train_rows)
    )
    threshold, recall, precision = _choose_threshold(vectorizer, model, dev_rows, dev_texts)
    urgent_threshold = _choose_urgent_threshold(vectorizer, (model, level_model), threshold, dev_rows, dev_texts)
    short_threshold = _choose_short_threshold(vectorizer, model, threshold, dev_rows, dev_texts)
    final_rows = train_rows + dev_rows
    final_texts = _normalized(final_rows)
    vectorizer, model, level_model = _fit(final_texts, [int(r["label"]) for r in final_rows], _urgent(final_rows))
    thresholds = (threshold, urgent_threshold, short_threshold)
    data = _export(vectorizer, (model, level_model), thresholds, final_rows, final_texts)
    classifier.MODEL_PATH.write_text(json.dumps(data, separators=(",", ":"), sort_keys=True) + "\n", encoding="utf-8")
    classifier.model.cache_clear()
    report = (threshold, recall, precision, urgent_threshold, short_threshold)
    return TrainReport(len(final_rows), len(data["features"]), *report)
