"""Slowing down password guessing without locking anyone out.

One row per (user name, address) pair (`LoginThrottle`). Every attempt is admitted under the
row's lock (`select_for_update`; on SQLite the IMMEDIATE transaction takes the write lock) and
counted as a failure *before* its password is checked, so a parallel burst cannot slip past the
count: once the pair has `LOGIN_FAILURE_LIMIT` failures it must wait 2, 4, 8 ... seconds (from
`LOGIN_FIRST_DELAY_SECONDS`, doubling, at most
`LOGIN_MAX_DELAY_SECONDS`, counted again from the moment a wrong password is found) and an
attempt inside the wait is refused without being evaluated.
A success clears the pair. Nothing here ever refuses another user name or another address, so
an attacker cannot lock out the real user; `manage.py unlock USER` clears a user's pairs.
"""

from __future__ import annotations

import datetime as dt
import math

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from siaga.accounts.models import LoginThrottle

USERNAME_LENGTH = 150  # LoginThrottle.username, and Django's user name


def now() -> dt.datetime:
    """The clock (a test may stop it)."""
    return timezone.now()


def delay(failures: int) -> int:
    """Seconds a pair with `failures` failures waits before its next attempt."""
    over = failures - settings.LOGIN_FAILURE_LIMIT
    if over < 0:
        return 0
    return int(min(settings.LOGIN_FIRST_DELAY_SECONDS * 2 ** min(over, 40), settings.LOGIN_MAX_DELAY_SECONDS))


def admit(username: str, address: str) -> int:
    """0 when this attempt may be evaluated (it is counted as a failure until `forgive`); else
    the seconds the pair must still wait (the attempt is not evaluated and not counted)."""
    username, address = username[:USERNAME_LENGTH], address or ""
    moment = now()
    forget = dt.timedelta(seconds=settings.LOGIN_FORGET_SECONDS)
    with transaction.atomic():
        row, _ = LoginThrottle.objects.select_for_update().get_or_create(
            username=username, address=address, defaults={"last_attempt": moment}
        )
        if row.last_attempt < moment - forget:
            row.failures, row.wait_until = 0, None
        if row.wait_until is not None and row.wait_until > moment:
            return max(1, math.ceil((row.wait_until - moment).total_seconds()))
        row.failures += 1
        row.last_attempt = moment
        wait = delay(row.failures)
        row.wait_until = moment + dt.timedelta(seconds=wait) if wait else None
        row.save(update_fields=["failures", "last_attempt", "wait_until"])
    # Pairs quiet for a day are forgotten (the table holds only recent guessing).
    LoginThrottle.objects.filter(last_attempt__lt=moment - forget).delete()
    return 0


def failed(username: str, address: str) -> None:
    """An admitted attempt's password was wrong: the pair's wait runs from now (an evaluation
    takes a while; the wait must not expire while it runs and let a queued burst through)."""
    moment = now()
    with transaction.atomic():
        row = LoginThrottle.objects.select_for_update().filter(
            username=username[:USERNAME_LENGTH], address=address or ""
        )
        found = row.first()
        wait = delay(found.failures) if found else 0
        if found is not None and wait:
            until = moment + dt.timedelta(seconds=wait)
            if found.wait_until is None or found.wait_until < until:
                found.wait_until = until
                found.save(update_fields=["wait_until"])


def forgive(username: str, address: str) -> None:
    """A successful login clears its pair."""
    LoginThrottle.objects.filter(username=username[:USERNAME_LENGTH], address=address or "").delete()


def unlock(username: str, address: str | None = None) -> int:
    """Clear every pair of a user name (or one pair); how many were cleared."""
    rows = LoginThrottle.objects.filter(username=username[:USERNAME_LENGTH])
    if address is not None:
        rows = rows.filter(address=address)
    return int(rows.delete()[0])
