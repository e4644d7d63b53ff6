"""Every rule of the checker has a name people read (a refused plan lists "Jarak tempuh: ..."),
in both languages."""

from __future__ import annotations

from siaga.core import check


def test_every_rule_has_a_name_in_both_languages():
    assert set(check.RULE_WORDS) == set(check.RULES)
    for rule in check.RULES:
        indonesian, english = check.heading(rule, "id"), check.heading(rule, "en")
        assert indonesian != rule and english != rule and indonesian != english, rule
