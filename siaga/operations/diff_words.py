"""What an import changes, in words: the home of how the import preview and the versions page
describe a data diff (`services.data_diff`). Each TPS and person is named as people name them
("TPS 3 Semare", "IPTU Sugeng Hidayat"), a few of each kind then "dan N lainnya"; each change
as "what: old → new" in words, or, for a data version (which keeps codes and fields only),
what changed."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from siaga.core.data.geo import haversine_km
from siaga.core.data.indicators import catalogue, version_of
from siaga.operations import services
from siaga.operations.forms import lang
from siaga.operations.labels import CATEGORY_LABELS, FORCE_LABELS, label
from siaga.operations.models import Operation

SHOWN = 5  # changed people named, then "dan N lainnya"
SHOWN_TPS = 10  # TPS named in each list
REASON_CHARS = 80

TPS_WORDS = {
    "desa_code": gettext_lazy("desa"),
    "number": gettext_lazy("nomor TPS"),
    "voters": gettext_lazy("jumlah pemilih (DPT)"),
    "lat": gettext_lazy("titik lokasi"),
    "lon": gettext_lazy("titik lokasi"),
    "address": gettext_lazy("alamat"),
    "category": gettext_lazy("kategori yang ditetapkan manual"),
    "category_reason": gettext_lazy("alasan penetapan kategori"),
    "indicators": gettext_lazy("indikator kerawanan"),
}
PERSON_WORDS = {
    "name": gettext_lazy("nama"),
    "rank": gettext_lazy("pangkat"),
    "unit_code": gettext_lazy("satuan"),
    "force": gettext_lazy("unsur"),
    "desa_code": gettext_lazy("desa"),
    "phone": gettext_lazy("nomor HP"),
    "available": gettext_lazy("kesiapan"),
    "position": gettext_lazy("jabatan"),
    "tps_code": gettext_lazy("TPS menurut SK PPS"),
}


def describe(
    operation: Operation, diff: dict[str, Any], narrowed: bool = False, others: Iterable[str] = ()
) -> dict[str, Any]:
    """A diff as the preview and the versions page show it; `narrowed`: one kecamatan's part
    of it, which counts no removed people; `others`: what else the import rewrites
    (`services.other_changes`, msgids)."""
    tps, people, schedule = diff.get("tps", {}), diff.get("personnel", {}), diff.get("schedule", {})
    tps_codes = [  # the TPS named: a few of each list
        *tps.get("added", [])[:SHOWN_TPS],
        *tps.get("removed", [])[:SHOWN_TPS],
        *(c["code"] for c in tps.get("changed", [])[:SHOWN_TPS]),
    ]
    names = _Names(operation, tps_codes, people)
    other_words = [_(w) for w in others]
    return {
        "stages_changed": bool(schedule.get("stages")),
        "rules_changed": bool(schedule.get("duty_rules")),
        "events_added": schedule.get("events_added", []),
        "events_removed": schedule.get("events_removed", []),
        "events_changed": schedule.get("events_changed", []),
        "tps_added": [names.tps(c) for c in tps.get("added", [])[:SHOWN_TPS]],
        "tps_added_more": max(0, len(tps.get("added", [])) - SHOWN_TPS),
        "tps_removed": [names.tps(c) for c in tps.get("removed", [])[:SHOWN_TPS]],
        "tps_removed_more": max(0, len(tps.get("removed", [])) - SHOWN_TPS),
        "tps_changed": [
            (names.tps(c["code"]), c["code"], tps_change(c, names)) for c in tps.get("changed", [])[:SHOWN_TPS]
        ],
        "tps_changed_more": max(0, len(tps.get("changed", [])) - SHOWN_TPS),
        "people_added": len(people.get("added", [])),
        "people_removed": len(people.get("removed", [])),
        "people_changed": len(people.get("changed", [])),
        "people_added_names": [names.person(c) for c in people.get("added", [])[:SHOWN]],
        "people_removed_names": [names.person(c) for c in people.get("removed", [])[:SHOWN]],
        "people_changed_rows": [
            (names.person(c["code"]), c["code"], person_change(c, names)) for c in people.get("changed", [])[:SHOWN]
        ],
        "people_changed_more": max(0, len(people.get("changed", [])) - SHOWN),
        "people_added_more": max(0, len(people.get("added", [])) - SHOWN),
        "people_removed_more": max(0, len(people.get("removed", [])) - SHOWN),
        "others": other_words,
        "narrowed": narrowed,
        "empty": services.diff_is_empty(diff) and not other_words,
    }


class _Names:
    """The names the shown rows need, each looked up once: TPS by number and desa, people by
    rank and name, desa and units by name, indicators by their label."""

    def __init__(self, operation: Operation, tps_codes: list[str], people: dict[str, Any]) -> None:
        self.operation = operation
        shown = set(tps_codes)
        rows = operation.tps_set.filter(code__in=shown).values_list("code", "number", "desa_code")
        self.tps_rows = {code: (number, desa) for code, number, desa in rows}
        self.people = dict(people.get("names", {}))
        wanted = {c["code"] for c in people.get("changed", [])[:SHOWN]}
        wanted |= set(people.get("added", [])[:SHOWN]) | set(people.get("removed", [])[:SHOWN])
        missing = wanted - self.people.keys()
        if missing:  # a data version keeps codes only: the people as they are now
            for code, rank, name in operation.personnel.filter(code__in=missing).values_list("code", "rank", "name"):
                self.people[code] = " ".join(x for x in (rank, name) if x)
        desa = {d for _n, d in self.tps_rows.values()}
        for c in people.get("changed", [])[:SHOWN]:
            desa |= {str(v) for v in (c.get("old", {}).get("desa_code"), c.get("new", {}).get("desa_code")) if v}
        self.desa = dict(operation.regions.filter(code__in=desa).values_list("code", "name")) if desa else {}
        self._units: dict[str, str] | None = None
        self._indicators: dict[str, str] | None = None

    def tps(self, code: str) -> str:
        if code not in self.tps_rows:
            return code
        number, desa_code = self.tps_rows[code]
        return _("TPS %(n)s %(desa)s") % {"n": number, "desa": self.desa.get(desa_code, desa_code)}

    def person(self, code: str) -> str:
        return self.people.get(code) or code

    def region(self, code: str) -> str:
        if code and code not in self.desa:
            self.desa |= dict(self.operation.regions.filter(code=code).values_list("code", "name"))
        return self.desa.get(code, code)

    def unit(self, code: str) -> str:
        if self._units is None:
            self._units = dict(self.operation.units.values_list("code", "name"))
        return self._units.get(code, code)

    def indicator(self, key: str) -> str:
        if self._indicators is None:
            found = catalogue(version_of(str(self.operation.config.get("catalogue", "")), self.operation.pattern))
            self._indicators = {k: ind.label(lang()) for k, ind in found.items()}
        return self._indicators.get(key, key)


def tps_change(change: dict[str, Any], names: _Names) -> str:
    """One changed TPS in words: each change with its old and new value, or what changed."""
    fields = list(dict.fromkeys(change["fields"]))
    if "old" not in change:
        return _fields_changed(TPS_WORDS, fields)
    old, new = change["old"], change["new"]
    said: list[str] = []
    category_at = -1
    for field in fields:
        if field == "lon" and "lat" in fields:
            continue
        if field in ("lat", "lon"):
            km = haversine_km(old["lat"], old["lon"], new["lat"], new["lon"])
            said.append(_("titik lokasi digeser %(m)s m") % {"m": f"{round(km * 1000):,}".replace(",", ".")})
        elif field == "category":
            category_at = len(said)
            said.append(_category(old["category"], new["category"]))
        elif field == "category_reason":
            reason = _reason(old["category_reason"], new["category_reason"], "category" in fields)
            if reason and category_at >= 0:  # one phrase: "kategori ditetapkan X, dengan alasan «…»"
                said[category_at] += ", " + reason
            elif reason:
                said.append(reason)
        elif field == "indicators":
            before, after = old["indicators"] or {}, new["indicators"] or {}
            for key in sorted(before.keys() | after.keys()):
                if before.get(key) != after.get(key):
                    said.append(_arrow(names.indicator(key), _number(before.get(key)), _number(after.get(key))))
        elif field == "desa_code":
            said.append(_arrow(TPS_WORDS[field], names.region(old[field]), names.region(new[field])))
        else:
            said.append(_arrow(TPS_WORDS[field], _plain(old[field]), _plain(new[field])))
    return "; ".join(s for s in said if s)


def person_change(change: dict[str, Any], names: _Names) -> str:
    """One changed person in words."""
    fields = change["fields"]
    if "old" not in change:
        return _fields_changed(PERSON_WORDS, fields)
    old, new = change["old"], change["new"]
    said = []
    for field in fields:
        before, after = old.get(field), new.get(field)
        if field == "available":
            before, after = (_("siap") if v else _("tidak siap") for v in (before, after))
        elif field == "force":
            before, after = (label(FORCE_LABELS, str(v or "")) for v in (before, after))
        elif field == "unit_code":
            before, after = (names.unit(str(v or "")) for v in (before, after))
        elif field == "desa_code":
            before, after = (names.region(str(v or "")) for v in (before, after))
        said.append(_arrow(PERSON_WORDS.get(field, field), _plain(before), _plain(after)))
    return "; ".join(said)


def _category(before: str, after: str) -> str:
    if not before:
        return _("kategori ditetapkan %(new)s (sebelumnya mengikuti hasil model)") % {"new": _label(after)}
    if not after:
        return _("kategori kembali mengikuti hasil model (sebelumnya ditetapkan %(old)s)") % {"old": _label(before)}
    return _("kategori ditetapkan %(new)s (sebelumnya %(old)s)") % {"new": _label(after), "old": _label(before)}


def _reason(before: str, after: str, with_category: bool) -> str:
    if not after:
        return "" if with_category else _("alasan penetapan kategori dihapus")
    if with_category or not before:
        return _("dengan alasan «%(new)s»") % {"new": _short(after)}
    return _("alasan penetapan kategori diganti: «%(old)s» → «%(new)s»") % {"old": _short(before), "new": _short(after)}


def _label(code: str) -> str:
    return label(CATEGORY_LABELS, code)


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= REASON_CHARS else text[: REASON_CHARS - 1].rstrip() + "…"


def _arrow(what: object, before: str, after: str) -> str:
    return _("%(what)s: %(old)s → %(new)s") % {"what": what, "old": before, "new": after}


def _plain(value: object) -> str:
    if value is None or value == "":
        return _("(kosong)")
    return _short(_number(value))


def _number(value: object) -> str:
    if value is None or value == "":
        return _("(kosong)")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _fields_changed(words: dict[str, Any], fields: list[str]) -> str:
    said = list(dict.fromkeys(str(words.get(f, f)) for f in fields))
    joined = said[0] if len(said) == 1 else _("%(a)s dan %(b)s") % {"a": ", ".join(said[:-1]), "b": said[-1]}
    return _("%(fields)s berubah") % {"fields": joined}
