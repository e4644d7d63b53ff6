"""Where a person (NRP/NIK) serves: the published plans that put him on a post at the vote or on
a duty of their roster (escort, warehouse, office guard, patrol), each with when his duties
there run. The post leader's landing page and the phone's links between his operations read it.

A post at the vote runs in the window the plan's roster gives the vote's posts (from the
pergeseran to the end of the count); a roster duty runs in its own window. Times are the
operation's local time without a zone, as the roster is written."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from siaga.operations.models import Operation, Person
from siaga.plans.models import Plan, PlanAssignment

VOTE_START = dt.time(7, 0)  # a plan without a roster: voting from 07:00, the count to 12:00 on H+1
VOTE_END = dt.time(12, 0)


@dataclass(frozen=True)
class Serving:
    """One operation where the person serves: its published plan, how many duties he has there
    (posts and roster lines), the window of his first duty not over at `now` (None: all over)
    and the end of his last duty."""

    plan_id: int
    operation_id: int
    operation_name: str
    duties: int
    next_start: dt.datetime | None
    next_end: dt.datetime | None
    last_end: dt.datetime | None

    def current(self, now: dt.datetime) -> bool:
        """A duty of his here is under way at `now`."""
        return self.next_start is not None and self.next_start <= now


def local_now() -> dt.datetime:
    """Now in the operation's local time without a zone (one seam: a test sets the time)."""
    return timezone.localtime().replace(tzinfo=None)


def serving(
    code: str, now: dt.datetime | None = None, besides: int | None = None, within: QuerySet[Operation] | None = None
) -> list[Serving]:
    """The operations (their published plans) where `code` serves at `now` (by default
    `local_now`), soonest duty first: those with a duty under way or to come by its start, then
    those all over, the latest first. `besides`: an operation left out (the one shown: its
    plan's roster is not read again); `within`: the operations the reader may open
    (accounts.scope.operations_for), never another Polres's."""
    if not code:
        return []
    now = now or local_now()
    published = Plan.objects.filter(
        status=Plan.Status.PUBLISHED,
        operation__archived=False,
        # the operations he is in: never every Polres's roster read to find him
        operation__in=list(Person.objects.filter(code=code).values_list("operation_id", flat=True)),
    ).select_related("operation")
    if within is not None:
        published = published.filter(operation__in=within)
    if besides is not None:
        published = published.exclude(operation_id=besides)
    on_post = Counter(
        PlanAssignment.objects.filter(person_code=code, plan__in=published).values_list("plan_id", flat=True)
    )
    found: list[Serving] = []
    for plan in published.order_by("-operation__imported_at", "-operation_id", "-version"):
        roster = (plan.extra or {}).get("roster") or {}
        mine = {a.get("duty") for a in roster.get("assignments", []) if a.get("person") == code}
        windows = [
            (dt.datetime.fromisoformat(str(d["start"])), dt.datetime.fromisoformat(str(d["end"])))
            for d in roster.get("duties", [])
            if d.get("id") in mine and d.get("start") and d.get("end")
        ]
        count = len(windows)
        if plan.pk in on_post:
            windows.append(_vote_window(plan, roster))
            count += on_post[plan.pk]
        if not windows:
            continue
        coming = sorted(w for w in windows if w[1] > now)
        start, end = coming[0] if coming else (None, None)
        last = max(e for _s, e in windows)
        found.append(Serving(plan.pk, plan.operation_id, plan.operation.name, count, start, end, last))
    return sorted(found, key=_soonest)


def _vote_window(plan: Plan, roster: dict[str, object]) -> tuple[dt.datetime, dt.datetime]:
    """The window of the vote's posts as the plan's roster has it (from the pergeseran to the
    end of the count, duties.vote_window), else the vote and count of its election day."""
    vote = roster.get("vote")
    if isinstance(vote, dict) and vote.get("start") and vote.get("end"):
        return dt.datetime.fromisoformat(str(vote["start"])), dt.datetime.fromisoformat(str(vote["end"]))
    day = plan.operation.election_date
    return dt.datetime.combine(day, VOTE_START), dt.datetime.combine(day, VOTE_END) + dt.timedelta(1)


def _soonest(s: Serving) -> tuple[int, float]:
    if s.next_start is not None:
        return (0, s.next_start.timestamp())
    return (1, -(s.last_end.timestamp() if s.last_end else 0.0))
