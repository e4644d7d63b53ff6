"""The words people read for a plan's codes: `{{ p.category|category_label }}`,
`{{ slot|force_label }}`, `{{ operation.pattern|pattern_title }}`, a version's note in the
reader's language: `{{ plan|plan_note }}`, and a person's number as a page shows it:
`{{ p.code|person_code:p.force }}` (a Linmas's NIK masked)."""

from __future__ import annotations

from django import template

from siaga.core.data import linmas, patterns
from siaga.operations.forms import lang as reader_lang
from siaga.operations.labels import CATEGORY_LABELS, FORCE_LABELS, stage_name
from siaga.plans import lines
from siaga.plans.models import Plan

register = template.Library()


@register.filter
def category_label(code: str) -> str:
    return str(CATEGORY_LABELS.get(code, code))


@register.filter
def force_label(code: str) -> str:
    return str(FORCE_LABELS.get(code, code))


@register.filter
def person_code(code: str, force: str) -> str:
    """A person's NRP/NIP as it is; a Linmas's number (his NIK, personal data) masked as every
    page and printout shows it (`linmas.shown`, docs/security.md): found by name, or searched
    by the whole number."""
    return linmas.shown(str(code), str(force))


@register.filter
def pattern_title(code: str) -> str:
    """A pattern by its title ("Pilkades 2022 Polres Pasuruan Kota"), not its code."""
    return patterns.title(code, reader_lang())


@register.filter(name="stage_name")
def stage_name_filter(name: str) -> str:
    return stage_name(name)


@register.filter
def plan_note(plan: Plan) -> str:
    return lines.note_of(plan)
