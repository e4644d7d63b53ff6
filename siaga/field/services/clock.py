"""The field's clock: what "now" is for the board's flags and the phone's times. One seam, so a
test can set the time (monkeypatch `siaga.field.services.clock.now`)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone


def now() -> dt.datetime:
    """The current time, aware."""
    return timezone.now()


def local(naive: dt.datetime) -> dt.datetime:
    """A roster time (the operation's local time, without a zone) as an aware time."""
    return timezone.make_aware(naive, timezone.get_default_timezone()) if timezone.is_naive(naive) else naive
