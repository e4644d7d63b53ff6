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


def reported(raw: object) -> dt.datetime:
    """When a phone's report was made: the time its queue stamped on it (`at`, ISO 8601), so a
    report sent after an outage keeps the time it was made, not the time it arrived. Now when
    the phone gives none, one that cannot be read, or one later than now (its clock ahead): a
    report is never refused for its stamp, since the phone would drop it."""
    current = now()
    if not isinstance(raw, str) or not raw.strip():
        return current
    try:
        at = local(dt.datetime.fromisoformat(raw.strip().replace("Z", "+00:00")))
    except ValueError:
        return current
    return min(at, current)
