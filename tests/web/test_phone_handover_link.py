"""The escort's link to its handover record says what is to be done, not that it is done:
"Isi berita acara serah terima" until one is recorded, then how many are."""

from __future__ import annotations

import re

from django.utils import timezone

from siaga.field.models import Handover
from tests.web.test_phone_pemilu_duties import duties  # noqa: F401  (the fixture)


def _escort_block(html: str, duty: str) -> str:
    found = re.search(rf'data-for="duty:{re.escape(duty)}".*?</fieldset>', html, re.S)
    assert found is not None
    return found.group(0)


def test_the_link_asks_for_the_record_until_one_is_made(plan, duties, as_field_officer):  # noqa: F811
    escort = duties["escort"]["id"]
    before = _escort_block(as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode(), escort)
    assert "Isi berita acara serah terima" in before and "Selesai" not in before
    Handover.objects.create(
        operation=plan.operation,
        duty_id=escort,
        leg=0,
        end=Handover.End.TUJUAN,
        place="PPK",
        handed_by_name="A",
        handed_by_code="1",
        received_by_name="B",
        received_by_code="2",
        at=timezone.now(),
        key="handover-link-test",
    )
    after = _escort_block(as_field_officer.get(f"/plans/{plan.pk}/phone/").content.decode(), escort)
    assert "Berita acara serah terima: 1 tercatat" in after and "Isi berita acara" not in after
