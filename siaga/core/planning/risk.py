"""Vulnerability scoring (analisa kerawanan): a 0-100 score per TPS that explains itself.

The score is a sum of points: each indicator of the TPS and of its desa adds
`weight x value / maximum` (docs/indicators.md). The points of an explanation always add up
to the score: when the sum leaves 0..100, one more line says so ("Batas skor 100: -12").
Thresholds map the score to a category; a TPS at a special location is KHUSUS; a category
given in the scenario (with its reason) wins over the model and says so.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from siaga.core.data.indicators import catalog
from siaga.core.data.model import Category, Operation, Region, Scenario, Tps
from siaga.core.data.problems import HINT
from siaga.core.data.text import Message, TranslatedError, _, gettext_noop

SPECIAL_LOCATION = "special_location"
CAP = "_cap"  # the pseudo-indicator that keeps a score within 0..100


@dataclass(frozen=True)
class RiskModel:
    """Points per indicator (at its maximum value) and the score thresholds of the categories."""

    weights: Mapping[str, float]
    rawan: float = 20.0
    sangat_rawan: float = 45.0

    def category(self, score: float) -> Category:
        if score >= self.sangat_rawan:
            return Category.SANGAT_RAWAN
        if score >= self.rawan:
            return Category.RAWAN
        return Category.KURANG_RAWAN

    def to_json(self) -> dict[str, Any]:
        return {
            "format": "siaga-weights/1",
            "thresholds": {"RAWAN": self.rawan, "SANGAT_RAWAN": self.sangat_rawan},
            "weights": dict(self.weights),
        }


def default_model() -> RiskModel:
    return RiskModel({key: ind.weight for key, ind in catalog().items()})


def operation_model(operation: Operation) -> RiskModel:
    """The catalog's weights as the operation sheet adjusts them (weights and thresholds)."""
    weights = {key: ind.weight for key, ind in catalog().items()} | dict(operation.weights)
    return RiskModel(weights, operation.threshold_rawan, operation.threshold_sangat_rawan)


class WeightsError(TranslatedError, ValueError):
    """A weights file that cannot be used; the message names what to fix."""


def load_model(path: Path, base: RiskModel | None = None) -> RiskModel:
    """A weights file (JSON, or YAML by suffix): `weights` by indicator key, optional
    `thresholds` {RAWAN, SANGAT_RAWAN}. What it does not name stays as in `base` (the
    catalog's defaults when not given)."""
    try:
        text = path.read_text(encoding="utf-8")
        if path.suffix.lower() in (".yaml", ".yml"):
            import yaml

            data = yaml.safe_load(text)
        else:
            data = json.loads(text)
    except (OSError, ValueError) as exc:
        raise WeightsError(gettext_noop("%(path)s: tidak dapat dibaca (%(detail)s)"), path=path, detail=exc) from None
    if not isinstance(data, dict):
        raise WeightsError(gettext_noop("%(path)s: harus berisi objek dengan kunci 'weights'"), path=path)
    return model_from_mapping(data, str(path), base)


def model_from_mapping(data: Mapping[str, Any], where: str = "weights", base: RiskModel | None = None) -> RiskModel:
    import difflib

    base = base or default_model()
    weights = dict(base.weights)
    for key, value in dict(data.get("weights") or {}).items():
        if key not in weights:
            close = difflib.get_close_matches(key, list(weights), n=1)
            hint = Message(HINT, suggestion=close[0]) if close else ""
            raise WeightsError(
                gettext_noop("%(where)s: indikator tidak dikenal '%(key)s'%(hint)s"), where=where, key=key, hint=hint
            )
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise WeightsError(gettext_noop("%(where)s: bobot '%(key)s' harus angka"), where=where, key=key)
        weights[key] = float(value)
    thresholds = dict(data.get("thresholds") or {})
    rawan = float(thresholds.get("RAWAN", base.rawan))
    sangat = float(thresholds.get("SANGAT_RAWAN", base.sangat_rawan))
    if not 0 < rawan < sangat <= 100:
        raise WeightsError(gettext_noop("%(where)s: ambang harus 0 < RAWAN < SANGAT_RAWAN <= 100"), where=where)
    return RiskModel(weights, rawan, sangat)


class Contribution(NamedTuple):
    """What one indicator adds to a score (a tuple: millions are made at national scale)."""

    indicator: str
    value: float
    points: float

    def label(self, lang: str = "id") -> str:
        if self.indicator == CAP:
            return _("Batas skor 0-100", lang)
        return catalog()[self.indicator].label(lang)

    def text(self, lang: str = "id") -> str:
        return f"{self.label(lang)}: {self.points:+g}"


class Assessment(NamedTuple):
    """The vulnerability of one TPS: its score, the model's category and the one in force."""

    tps: str
    score: float
    model_category: Category
    category: Category
    source: str  # "model" or "override"
    reason: str = ""
    contributions: tuple[Contribution, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "category": self.category.value,
            "source": self.source,
            "model_category": self.model_category.value,
            "reason": self.reason,
            "contributions": [
                {"indicator": c.indicator, "value": c.value, "points": c.points} for c in self.contributions
            ],
        }


def assess(scenario: Scenario, model: RiskModel | None = None) -> dict[str, Assessment]:
    """Every TPS's assessment, by TPS id, in the scenario's order. Without a `model`, the
    operation sheet's (the catalog's weights unless the sheet changes them)."""
    model = model or operation_model(scenario.operation)
    per_unit = _per_unit(model)
    desa_points = {r.code: _points(r.indicators, per_unit) for r in scenario.regions if r.indicators}
    return {t.id: _assess(t, desa_points.get(t.desa_code, ()), per_unit, model) for t in scenario.tps}


def assess_tps(tps: Tps, desa_points: tuple[Contribution, ...], model: RiskModel) -> Assessment:
    """One TPS, given the points its desa contributes (`desa_points`, largest first)."""
    return _assess(tps, desa_points, _per_unit(model), model)


def _assess(
    tps: Tps, desa_points: tuple[Contribution, ...], per_unit: Mapping[str, float], model: RiskModel
) -> Assessment:
    own = _points(tps.indicators, per_unit) if tps.indicators else ()
    parts = list(desa_points) if not own else sorted(own + desa_points, key=_largest_first)
    total = sum(c.points for c in parts)
    score = round(min(max(total, 0.0), 100.0), 2)
    if abs(score - total) > 1e-6:
        parts.append(Contribution(CAP, 0, round(score - total, 2)))
    model_category = Category.KHUSUS if tps.indicators.get(SPECIAL_LOCATION) else model.category(score)
    if tps.category is not None:
        return Assessment(tps.id, score, model_category, tps.category, "override", tps.category_reason, tuple(parts))
    return Assessment(tps.id, score, model_category, model_category, "model", "", tuple(parts))


def _largest_first(c: Contribution) -> tuple[float, str]:
    return (-abs(c.points), c.indicator)


def _per_unit(model: RiskModel) -> dict[str, float]:
    """Points per unit of each indicator's value."""
    return {key: model.weights.get(key, 0.0) / ind.maximum for key, ind in catalog().items()}


def _points(indicators: Mapping[str, float], per_unit: Mapping[str, float]) -> tuple[Contribution, ...]:
    """Each indicator's points, largest first; indicators worth nothing are left out."""
    out = [Contribution(k, v, round(per_unit[k] * v, 2)) for k, v in indicators.items() if v and per_unit[k]]
    return tuple(sorted(out, key=_largest_first)) if len(out) > 1 else tuple(out)


def overrides(scenario: Scenario, assessments: Mapping[str, Assessment]) -> list[Assessment]:
    """The TPS whose category was set by hand, with the model's own opinion beside it."""
    return [assessments[t.id] for t in scenario.tps if assessments[t.id].source == "override"]


@dataclass(frozen=True)
class DesaView:
    """For Pilkades a desa is one contest: its own factors and its TPS."""

    desa: Region
    factors: tuple[Contribution, ...]
    tps: tuple[Assessment, ...]

    @property
    def category(self) -> Category:
        order = list(Category)
        return max((a.category for a in self.tps), key=order.index, default=Category.KURANG_RAWAN)


def desa_view(
    scenario: Scenario, desa_code: str, assessments: Mapping[str, Assessment], model: RiskModel | None = None
) -> DesaView:
    model = model or operation_model(scenario.operation)
    desa = scenario.region_by_code()[desa_code]
    factors = _points(desa.indicators, _per_unit(model))
    tps = tuple(assessments[t.id] for t in scenario.tps if t.desa_code == desa_code)
    return DesaView(desa, factors, tps)
