"""Seized goods of an incident (cash, envelopes, ...): a ledger of what, how much, from whom and
where it is kept, and the chain of custody of each item (DOCTRINE.md 12: seized cash or goods
need a custody record). Written by the Posko roles that work the incident."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from siaga.audit.log import record
from siaga.field.models import CustodyEntry, Incident, SeizedItem
from siaga.field.services import authority
from siaga.field.services.common import FieldError, KeyConflict, NotVisible, once
from siaga.field.services.incidents import _log, incident_for

SEIZE_FIELDS = {
    "item": (_("barang"), 200),
    "quantity": (_("jumlah"), 80),
    "from_whom": (_("disita dari"), 200),
    "kept_at": (_("disimpan di"), 200),
}
CUSTODY_FIELDS = {"holder": (_("diserahkan kepada"), 200), "kept_at": (_("disimpan di"), 200)}


def _text(fields: dict[str, Any], wanted: dict[str, tuple[Any, int]]) -> dict[str, str]:
    out = {}
    for name, (label, limit) in wanted.items():
        value = fields.get(name)
        value = value.strip() if isinstance(value, str) else ""
        if not value or len(value) > limit or "\x00" in value:
            raise FieldError(_("Isi kolom %(field)s (paling panjang %(n)s huruf).") % {"field": label, "n": limit})
        out[name] = value
    return out


def seize(
    incident: Incident, user: Any, key: str, fields: dict[str, Any], request: Any = None
) -> tuple[SeizedItem, bool]:
    """A seized good entered in the ledger (its first holder: where it is kept), logged on the
    incident and audited."""
    authority.check(authority.to_seize(user, incident))
    values = _text(fields, SEIZE_FIELDS)

    def create() -> SeizedItem:
        row = SeizedItem.objects.create(incident=incident, by=user, key=key, **values)
        _log(
            incident,
            user,
            "seize",
            f"{row.item} ({row.quantity})",
            _("dari %(who)s, disimpan di %(where)s") % {"who": row.from_whom, "where": row.kept_at},
        )
        after = {"note": f"{row.item} ({row.quantity}), {row.kept_at}"}  # a key the audit page names
        record(request, "seize", "incident", incident.pk, operation_id=incident.operation_id, after=after, user=user)
        return row

    row, created = once(SeizedItem, key, user, "by", create)
    if row.incident_id != incident.pk:
        raise KeyConflict(key)
    return row, created


def hand_over(
    item_pk: int, user: Any, key: str, fields: dict[str, Any], request: Any = None
) -> tuple[CustodyEntry, bool]:
    """The seized good passes to another holder (or place), logged on the incident and audited."""
    item = SeizedItem.objects.filter(pk=item_pk).first()
    if item is None:
        raise NotVisible
    incident = incident_for(item.incident_id, user)
    authority.check(authority.to_seize(user, incident))
    values = _text(fields, CUSTODY_FIELDS)
    note = fields.get("note") if isinstance(fields.get("note"), str) else ""

    def create() -> CustodyEntry:
        row = CustodyEntry.objects.create(item=item, by=user, key=key, note=note or "", **values)
        _log(incident, user, "custody", f"{item.item}: {row.holder}, {row.kept_at}", row.note)
        after = {"note": f"{item.item}: {row.holder}, {row.kept_at}"}
        record(request, "custody", "incident", incident.pk, operation_id=incident.operation_id, after=after, user=user)
        return row

    row, created = once(CustodyEntry, key, user, "by", create)
    if row.item_id != item.pk:
        raise KeyConflict(key)
    return row, created
