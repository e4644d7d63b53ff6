"""Learning the indicator weights from incident history (which TPS had trouble before).

A regularised logistic model predicts "this TPS had an incident" from its indicators (each
scaled to 0..1). Its coefficients become points: `POINTS_PER_LOGIT` points per unit of
log-odds, negative ones clipped to 0 (an indicator never lowers a score). With the default
thresholds, RAWAN then means incident odds at least e^1 = 2.7 times a quiet TPS's, and
SANGAT_RAWAN at least e^2.25 = 9.5 times.

The fit is judged on held-out desa (a desa's TPS share its desa indicators, so they are split
together): AUC and Brier score, beside the same figures for the default weights.
"""

from __future__ import annotations

import csv
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from siaga.core.data.indicators import catalog
from siaga.core.data.model import Scenario
from siaga.core.data.text import Message, gettext_noop
from siaga.core.planning.risk import RiskModel, default_model

POINTS_PER_LOGIT = 20.0

# The known rule `siaga scenario incidents` draws a history from (log-odds per indicator at
# its maximum), so tests can check that calibration finds it again.
HIDDEN_RULE: Mapping[str, float] = {
    "violence_history": 2.5,
    "riot_history": 2.0,
    "money_politics": 1.5,
    "head_to_head": 1.2,
    "hard_to_reach": 0.8,
}
HIDDEN_INTERCEPT = -3.0


class IncidentsError(ValueError):
    """An incident history that cannot be used: every problem found, rendered by `texts(lang)`."""

    def __init__(self, messages: list[Message]):
        super().__init__("\n".join(map(str, messages)))
        self.messages = messages

    def texts(self, lang: str = "id") -> list[str]:
        return [m.render(lang) for m in self.messages]


def read_incidents(path: Path, scenario: Scenario) -> set[str]:
    """The TPS with an incident. Each CSV row names a TPS (`tps_id`) or a whole desa
    (`desa_code`, with `tps_id` blank); other columns (year, kind, description) are kept
    for people and ignored here."""
    tps_ids = {t.id for t in scenario.tps}
    by_desa: dict[str, list[str]] = {}
    for t in scenario.tps:
        by_desa.setdefault(t.desa_code, []).append(t.id)
    positive: set[str] = set()
    problems = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            reader = csv.DictReader(f)
            heads = {(h or "").strip().lower(): h for h in reader.fieldnames or []}
            if "tps_id" not in heads and "desa_code" not in heads:
                need = gettext_noop("%(file)s, baris 1: perlu kolom 'tps_id' atau 'desa_code'")
                raise IncidentsError([Message(need, file=path.name)])
            for number, row in enumerate(reader, start=2):
                tps = (row.get(heads.get("tps_id", ""), "") or "").strip()
                desa = (row.get(heads.get("desa_code", ""), "") or "").strip()
                if tps:
                    if tps in tps_ids:
                        positive.add(tps)
                    else:
                        what = gettext_noop(
                            "%(file)s, baris %(row)s, kolom 'tps_id', nilai '%(value)s': TPS tidak ada di skenario"
                        )
                        problems.append(Message(what, file=path.name, row=number, value=tps))
                elif desa:
                    if desa in by_desa:
                        positive.update(by_desa[desa])
                    else:
                        what = gettext_noop(
                            "%(file)s, baris %(row)s, kolom 'desa_code', nilai '%(value)s': desa tanpa TPS di skenario"
                        )
                        problems.append(Message(what, file=path.name, row=number, value=desa))
                else:
                    blank = gettext_noop("%(file)s, baris %(row)s: tps_id dan desa_code kosong")
                    problems.append(Message(blank, file=path.name, row=number))
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        unreadable = gettext_noop("%(path)s: tidak dapat dibaca (%(detail)s)")
        raise IncidentsError([Message(unreadable, path=path, detail=exc)]) from None
    if problems:
        raise IncidentsError(problems)
    return positive


def feature_matrix(scenario: Scenario) -> tuple[list[str], np.ndarray, list[str], list[str]]:
    """Indicator keys, the TPS x indicator matrix of value / maximum, TPS ids, desa codes."""
    keys = list(catalog())
    column = {k: i for i, k in enumerate(keys)}
    maximum = np.array([catalog()[k].maximum for k in keys], dtype=float)
    desa = {r.code: r.indicators for r in scenario.regions if r.indicators}
    x = np.zeros((len(scenario.tps), len(keys)))
    for row, t in enumerate(scenario.tps):
        for source in (t.indicators, desa.get(t.desa_code, {})):
            for key, value in source.items():
                x[row, column[key]] = value
    return keys, x / maximum, [t.id for t in scenario.tps], [t.desa_code for t in scenario.tps]


@dataclass(frozen=True)
class Calibration:
    model: RiskModel
    coefficients: Mapping[str, float]
    intercept: float
    auc_fitted: float
    auc_default: float
    brier_fitted: float
    brier_default: float
    train_tps: int
    test_tps: int
    positives: int


def calibrate(
    scenario: Scenario, positive: set[str], seed: int = 1, l2: float = 1.0, holdout: float = 0.3
) -> Calibration:
    """Fit weights on part of the desa, judge them and the defaults on the rest."""
    keys, x, ids, desa = feature_matrix(scenario)
    y = np.array([1.0 if i in positive else 0.0 for i in ids])
    groups = sorted(set(desa))
    random.Random(seed).shuffle(groups)
    held = set(groups[: max(1, round(len(groups) * holdout))])
    test = np.array([d in held for d in desa])
    train = ~test
    if len(set(y[train])) < 2 or len(set(y[test])) < 2:
        too_few = gettext_noop("riwayat kejadian terlalu sedikit (atau tidak ada TPS tanpa kejadian) untuk kalibrasi")
        raise IncidentsError([Message(too_few)])
    beta, b0 = fit_logistic(x[train], y[train], l2)
    fitted_p = _sigmoid(x[test] @ beta + b0)
    default = default_model()
    default_score = x @ np.array([default.weights.get(k, 0.0) for k in keys])
    platt, platt0 = fit_logistic(default_score[train, None] / 100, y[train], 1e-6)
    default_p = _sigmoid(default_score[test] / 100 * platt[0] + platt0)
    weights = {k: round(max(0.0, b) * POINTS_PER_LOGIT, 2) for k, b in zip(keys, beta, strict=True)}
    return Calibration(
        model=RiskModel(weights, default.rawan, default.sangat_rawan),
        coefficients=dict(zip(keys, beta.round(4).tolist(), strict=True)),
        intercept=round(float(b0), 4),
        auc_fitted=auc(y[test], fitted_p),
        auc_default=auc(y[test], default_score[test]),
        brier_fitted=float(np.mean((fitted_p - y[test]) ** 2)),
        brier_default=float(np.mean((default_p - y[test]) ** 2)),
        train_tps=int(train.sum()),
        test_tps=int(test.sum()),
        positives=int(y.sum()),
    )


def fit_logistic(x: np.ndarray, y: np.ndarray, l2: float, iterations: int = 50) -> tuple[np.ndarray, float]:
    """L2-regularised logistic regression by Newton's method; the intercept is not penalised."""
    n, k = x.shape
    design = np.hstack([x, np.ones((n, 1))])
    w = np.zeros(k + 1)
    penalty = np.full(k + 1, l2)
    penalty[-1] = 0.0
    for _ in range(iterations):
        p = _sigmoid(design @ w)
        gradient = design.T @ (p - y) + penalty * w
        hessian = (design * (p * (1 - p))[:, None]).T @ design + np.diag(penalty + 1e-9)
        step = np.linalg.solve(hessian, gradient)
        w -= step
        if np.max(np.abs(step)) < 1e-8:
            break
    return w[:-1], float(w[-1])


def _sigmoid(z: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-np.clip(z, -35, 35)))


def auc(y: np.ndarray, score: np.ndarray) -> float:
    """Area under the ROC curve: the chance a random incident TPS outranks a quiet one."""
    order = np.argsort(score, kind="mergesort")
    ranks = np.empty(len(score))
    sorted_scores = score[order]
    i = 0
    while i < len(score):  # average ranks over ties
        j = i
        while j + 1 < len(score) and sorted_scores[j + 1] == sorted_scores[i]:
            j += 1
        ranks[order[i : j + 1]] = (i + j) / 2 + 1
        i = j + 1
    positives = y == 1
    n_pos, n_neg = int(positives.sum()), int((~positives).sum())
    return float((ranks[positives].sum() - n_pos * (n_pos + 1) / 2) / (n_pos * n_neg))


def synthetic_incidents(
    scenario: Scenario,
    seed: int = 1,
    rule: Mapping[str, float] = HIDDEN_RULE,
    intercept: float = HIDDEN_INTERCEPT,
) -> list[dict[str, str]]:
    """An incident history drawn from a known rule: rows of tps_id, year, kind."""
    keys, x, ids, _ = feature_matrix(scenario)
    logit = intercept + x @ np.array([rule.get(k, 0.0) for k in keys])
    rng = random.Random(seed)
    rows = []
    for tps, p in zip(ids, _sigmoid(logit), strict=True):
        if rng.random() < p:
            rows.append({"tps_id": tps, "year": str(rng.choice((2018, 2019, 2020, 2024))), "kind": rng.choice(KINDS)})
    return rows


KINDS: Sequence[str] = ("intimidasi", "bentrok pendukung", "perusakan logistik", "politik uang", "unjuk rasa")


def write_incidents(rows: list[dict[str, str]], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=["tps_id", "year", "kind"])
        writer.writeheader()
        writer.writerows(rows)
