"""The apel roll call: check-ins by card (QR), NRP or list; readiness; the absentee re-plan."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError
from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from siaga.accounts.roles import require
from siaga.accounts.scope import Scope
from siaga.audit.log import record
from siaga.core.data.model import Force, StageKind
from siaga.core.documents import tokens
from siaga.field.models import KEY_LENGTH, AbsenteeReplan, CheckIn
from siaga.field.services.common import (
    FieldError,
    assigned_posts,
    card_key,
    once,
    post_of,
    require_writer,
)
from siaga.operations.labels import FORCE_LABELS, label, stage_name
from siaga.operations.models import Operation, Person, Region, Unit
from siaga.operations.services import operation_stages, pergeseran_apel_name
from siaga.plans.models import Plan
from siaga.plans.services import PlanRunning, start_planning

# -- the operation's apels --------------------------------------------------------------------

APELS = (StageKind.APEL_GELAR, StageKind.APEL_KESIAPAN, StageKind.APEL_PERGESERAN)


@dataclass(frozen=True)
class Apel:
    """One apel of the operation with its own roll call. `key` "" is the apel before the
    pergeseran (the first APEL_PERGESERAN stage): its absentees are what a re-plan takes out."""

    key: str
    name: str
    start: dt.datetime | None

    @property
    def before_pergeseran(self) -> bool:
        return self.key == ""


def apels(operation: Operation) -> list[Apel]:
    """The operation's apels in time order (its APEL_* stages, docs/scenario.md 2.12); the
    apel before the pergeseran is always among them, named "Apel pergeseran pasukan" when no
    stage says it (`operations.services.pergeseran_apel_name`)."""
    found: list[Apel] = []
    for stage in operation_stages(operation)[0]:
        if stage.kind not in APELS:
            continue
        first = stage.kind == StageKind.APEL_PERGESERAN and not any(a.before_pergeseran for a in found)
        key = "" if first else f"{stage.kind.value}-{stage.start:%Y%m%d%H%M}"
        found.append(Apel(key, stage_name(stage.name), stage.start))
    if not any(a.before_pergeseran for a in found):
        found.append(Apel("", pergeseran_apel_name(operation), None))
    return found


def apel_of(operation: Operation, key: str) -> Apel:
    """The operation's apel with this key; FieldError when it has none."""
    found = next((a for a in apels(operation) if a.key == key), None)
    if found is None:
        raise FieldError(_("Apel tidak dikenal di operasi ini."))
    return found


# -- apel gelar pasukan ----------------------------------------------------------------------


def check_in(
    plan: Plan,
    user: Any,
    key: str,
    *,
    token: str = "",
    nrp: str = "",
    method: str = "",
    apel: str = "",
    request: Any = None,
) -> tuple[CheckIn, bool]:
    """One person present at one apel (`apels`; "" the apel before the pergeseran): by the
    card's QR token (its signature verified) or by NRP."""
    require_writer(user)
    if apel:
        apel_of(plan.operation, apel)
    if token:
        try:
            payload = tokens.verify(token, card_key())
        except tokens.BadToken as exc:
            raise FieldError(exc.message(get_language() or "id")) from None
        code, method = str(payload.get("nrp", "")), CheckIn.Method.QR
        _card_matches(plan, payload)
    elif nrp:
        code, method = nrp.strip(), method or CheckIn.Method.NRP
        if method not in (CheckIn.Method.NRP, CheckIn.Method.LIST):
            raise FieldError(_("cara pencatatan harus NRP atau daftar"))
    else:
        raise FieldError(_("pindai kartu atau ketik NRP/NIK"))
    post = assigned_posts(plan).get(code)
    if post is None:
        raise FieldError(_("personel tidak ada dalam rencana ini"))
    post_of(plan, post, user)

    def create() -> CheckIn:
        row = CheckIn.objects.create(
            operation_id=plan.operation_id, person_code=code, apel=apel, method=method, by=user, key=key
        )
        after = {"person": code, **({"apel": apel} if apel else {})}
        record(request, "check_in", "checkin", row.pk, operation_id=plan.operation_id, after=after)
        return row

    mine = CheckIn.objects.filter(operation_id=plan.operation_id, apel=apel, person_code=code)
    earlier = mine.first()
    if earlier is not None and not CheckIn.objects.filter(key=key).exists():
        return earlier, False  # once per person and apel, whatever new key this retry carries
    try:
        return once(CheckIn, key, user, "by", create)
    except IntegrityError:  # a concurrent check-in of the same person under another key won
        return mine.get(), False


def undo_check_in(plan: Plan, user: Any, code: str, apel: str = "", request: Any = None) -> bool:
    """A check-in recorded by mistake taken back (the person is absent again at this apel and a
    re-plan from it takes him out); audited. False when he was not checked in."""
    require_writer(user)
    if apel:
        apel_of(plan.operation, apel)
    post = assigned_posts(plan).get(code)
    if post is None:
        raise FieldError(_("personel tidak ada dalam rencana ini"))
    post_of(plan, post, user)
    gone, _rows = CheckIn.objects.filter(operation_id=plan.operation_id, apel=apel, person_code=code).delete()
    if gone:
        after = {"person": code, **({"apel": apel} if apel else {})}
        record(request, "check_in_undone", "person", code, operation_id=plan.operation_id, after=after)
    return bool(gone)


# A roll-call group: a unit by its code, or the Linmas of one desa (they have no unit) by this
# prefix and the desa's code, so that a desa's Linmas are counted, listed and checked in together.
DESA_GROUP = "desa:"


def group_filter(code: str) -> Q:
    """The people of one roll-call group (`DESA_GROUP`); "" those of no unit and no desa."""
    if code.startswith(DESA_GROUP):
        return Q(unit_code="", desa_code=code[len(DESA_GROUP) :])
    return Q(unit_code=code) if code else Q(unit_code="", desa_code="")


def group_name_column(operation_id: int) -> Case:
    """`group_name` of a person's roll-call group, in the database (for a query of people): the
    unit's name (else its code), or "Linmas Desa Semare" for one of no unit (the desa's name,
    else its code), as the readiness table names the groups; "" for one of neither."""
    unit = Unit.objects.filter(operation_id=operation_id, code=OuterRef("unit_code")).values("name")[:1]
    desa = Region.objects.filter(operation_id=operation_id, code=OuterRef("desa_code")).values("name")[:1]
    before, _name, after = _("Linmas Desa %(name)s").partition("%(name)s")
    linmas = Concat(Value(before), Coalesce(Subquery(desa), F("desa_code")), Value(after), output_field=CharField())
    return Case(
        When(Q(unit_code="") & ~Q(desa_code=""), then=linmas),
        default=Coalesce(Subquery(unit), F("unit_code")),
        output_field=CharField(),
    )


def group_name(operation_id: int, code: str) -> str:
    """A roll-call group in words: the unit's name, or "Linmas Desa Semare"."""
    if code.startswith(DESA_GROUP):
        desa = code[len(DESA_GROUP) :]
        name = Region.objects.filter(operation_id=operation_id, code=desa).values_list("name", flat=True).first()
        return _("Linmas Desa %(name)s") % {"name": name or desa}
    return Unit.objects.filter(operation_id=operation_id, code=code).values_list("name", flat=True).first() or ""


def check_in_unit(plan: Plan, user: Any, unit_code: str, key: str, apel: str = "", request: Any = None) -> int:
    """Everyone of one roll-call group (a unit, or a desa's Linmas: `group_filter`) on the plan
    whom the user may see and who has not checked in at this apel, present at once (the unit's
    commander reports his whole unit formed up): one check-in per person by list, each with its
    own key derived from `key` (a retry of the same click adds nobody twice), and one audit
    entry for the unit or desa. Returns how many."""
    require_writer(user)
    if apel:
        apel_of(plan.operation, apel)
    on_plan = plan.assignments.in_scope(Scope.of(user)).values("person_code")
    group = Person.objects.filter(group_filter(unit_code), operation_id=plan.operation_id, code__in=on_plan)
    if not group.exists():  # another sector's unit, or one with nobody on this plan
        raise FieldError(_("Tidak ada personel satuan ini dalam rencana di wilayah Anda; tidak ada yang dicatat."))
    codes = list(
        group.exclude(code__in=CheckIn.objects.filter(operation_id=plan.operation_id, apel=apel).values("person_code"))
        .order_by("code")
        .values_list("code", flat=True)
    )
    if not codes:
        return 0
    rows = [
        CheckIn(
            operation_id=plan.operation_id,
            person_code=code,
            apel=apel,
            method=CheckIn.Method.LIST,
            by=user,
            key=f"{key[: KEY_LENGTH - 41]}:{hashlib.sha1(code.encode()).hexdigest()}",
        )
        for code in codes
    ]
    CheckIn.objects.bulk_create(rows, ignore_conflicts=True)
    after = {"unit": unit_code, "people": len(codes), **({"apel": apel} if apel else {})}
    kind, code = ("region", unit_code[len(DESA_GROUP) :]) if unit_code.startswith(DESA_GROUP) else ("unit", unit_code)
    record(request, "check_in_unit", kind, code, operation_id=plan.operation_id, after=after)
    return len(codes)


def _card_matches(plan: Plan, payload: dict[str, Any]) -> None:
    """A card names its plan version and post: a card of another operation or a changed post
    is refused with its reason; a card of an older version of this operation is accepted and
    says so, with the person's current post (`CardFromOlderVersion` is raised after the check-in)."""
    version, post = str(payload.get("plan", "")), str(payload.get("post", ""))
    code = str(payload.get("nrp", ""))
    if version == plan.digest:
        if post != assigned_posts(plan).get(code):
            raise FieldError(_("Kartu tidak cocok: pos pada kartu bukan pos orang ini di rencana ini."))
        return
    older = Plan.objects.filter(operation_id=plan.operation_id, digest=version).exclude(digest="").first()
    if older is None:
        raise FieldError(_("Kartu tidak dikenal: bukan kartu rencana operasi ini."))
    if not older.assignments.filter(person_code=code, post__code=post).exists():
        raise FieldError(
            _("Kartu tidak cocok: pos pada kartu bukan pos orang ini di versi %(v)s.") % {"v": older.version}
        )


def card_note(plan: Plan, token: str) -> str:
    """What the apel says of a genuine card from an older version: "kartu dari versi N" and the
    person's post in the current version ("" for a card of the current version)."""
    try:
        payload = tokens.verify(token, card_key())
    except tokens.BadToken:
        return ""
    version = str(payload.get("plan", ""))
    if not version or version == plan.digest:
        return ""
    older = Plan.objects.filter(operation_id=plan.operation_id, digest=version).first()
    now = assigned_posts(plan).get(str(payload.get("nrp", "")), "")
    return _("Kartu dari versi %(old)s; pos sekarang (versi %(new)s): %(post)s") % {
        "old": older.version if older else "?",
        "new": plan.version,
        "post": now or _("tidak bertugas"),
    }


def readiness(plan: Plan, user: Any, apel: str = "") -> dict[str, Any]:
    """Present and expected per unit and per force (people on the plan the user may see).

    One grouped query over indexed columns: the people on the visible posts, counted per unit
    and force, with those who have checked in at this apel of the operation."""
    on_plan = plan.assignments.in_scope(Scope.of(user)).values("person_code")
    checked_in = CheckIn.objects.filter(operation_id=plan.operation_id, apel=apel).values("person_code")
    groups = (
        Person.objects.filter(operation_id=plan.operation_id, code__in=on_plan)
        .values("unit_code", "desa_code", "force")
        .annotate(expected=Count("id"), present=Count("id", filter=Q(code__in=checked_in)))
        .order_by()
    )
    names = dict(Unit.objects.filter(operation_id=plan.operation_id).values_list("code", "name"))
    desa = dict(Region.objects.filter(operation_id=plan.operation_id).values_list("code", "name"))
    names |= {DESA_GROUP + code: _("Linmas Desa %(name)s") % {"name": name} for code, name in desa.items()}
    by_unit: dict[str, Counter[str]] = defaultdict(Counter)
    by_force: dict[str, Counter[str]] = defaultdict(Counter)
    for group in groups:
        unit = group["unit_code"] or (DESA_GROUP + group["desa_code"] if group["desa_code"] else "")
        for table, name in ((by_unit, unit), (by_force, group["force"])):
            table[name]["expected"] += group["expected"]
            table[name]["present"] += group["present"]

    def rows(table: dict[str, Counter[str]], label: Callable[[str], str]) -> list[dict[str, Any]]:
        return [
            {"code": k, "name": label(k), "present": c["present"], "expected": c["expected"]}
            for k, c in sorted(table.items())
        ]

    units = rows(by_unit, lambda k: names.get(k, k) or _("(tanpa satuan)"))
    return {
        "present": sum(c["present"] for c in by_force.values()),
        "expected": sum(c["expected"] for c in by_force.values()),
        "units": sorted(units, key=lambda u: (u["code"].startswith(DESA_GROUP), u["name"])),  # units, then desa
        "forces": rows(by_force, lambda k: label(FORCE_LABELS, k)),
    }


# The order a marshal reads the absentees in. DOCTRINE.md fixes no order of the parade, so:
# by force, Polri first, then Brimob, TNI and Linmas (Satpol PP and any other force after them),
# then by unit and name; the NRP/NIK only breaks ties.
ABSENT_FORCE_ORDER = (Force.POLRI, Force.BRIMOB, Force.TNI, Force.LINMAS)


def absent_codes(plan: Plan, user: Any, apel: str = "") -> QuerySet[Any]:
    """The NRP/NIK of who the user may see on the plan and has not checked in at this apel, in
    the marshal's order (`ABSENT_FORCE_ORDER`, then unit name, name, NRP/NIK): a query, so a
    page counts them and reads the first few without the whole roster."""
    op = plan.operation_id
    checked_in = CheckIn.objects.filter(operation_id=op, apel=apel).values("person_code")
    on_plan = plan.assignments.in_scope(Scope.of(user)).exclude(person_code__in=checked_in).values("person_code")
    force_rank = Case(
        *(When(force=force, then=Value(n)) for n, force in enumerate(ABSENT_FORCE_ORDER)),
        default=Value(len(ABSENT_FORCE_ORDER)),
        output_field=IntegerField(),
    )
    named = Unit.objects.filter(operation_id=op, code=OuterRef("unit_code")).values("name")[:1]
    rows = Person.objects.filter(operation_id=op, code__in=on_plan)
    rows = rows.annotate(force_rank=force_rank, unit_name=Coalesce(Subquery(named), F("unit_code")))
    return rows.order_by("force_rank", "unit_name", "name", "code").values_list("code", flat=True)


def absentees(plan: Plan, user: Any, apel: str = "") -> list[str]:
    """Who the user may see on the plan and has not checked in at this apel."""
    return sorted(absent_codes(plan, user, apel))


def roll_call(
    plan: Plan, user: Any, apel: str = "", *, unit: str | None = None, query: str = "", present: bool | None = None
) -> QuerySet[Any, Any]:
    """The roll call: the people on the plan the user may see (their `code`, `name`, `rank`,
    `force`), each with `present` (checked in at this apel) and `unit_name`, in order of unit,
    name and NRP; only one roll-call group's (`group_filter`: a unit, a desa's Linmas; "":
    those of neither), those whose name or NRP/NIK holds `query`, only the present (True) or
    the absent (False) when asked. A query the page reads one page of (issue 18: 7,000 people a
    Polres)."""
    op = plan.operation_id
    on_plan = plan.assignments.in_scope(Scope.of(user)).values("person_code")
    checked_in = CheckIn.objects.filter(operation_id=op, apel=apel, person_code=OuterRef("code"))
    rows = Person.objects.filter(operation_id=op, code__in=on_plan).annotate(
        present=Exists(checked_in), unit_name=group_name_column(op)
    )
    if unit is not None:
        rows = rows.filter(group_filter(unit))
    if query:
        rows = rows.filter(Q(name__icontains=query) | Q(code__icontains=query))
    if present is not None:
        rows = rows.filter(present=present)
    ordered = rows.order_by("unit_name", "name", "code")
    return ordered.values("code", "name", "rank", "unit_name", "force", "present")


REPLAN_MIN_PRESENT_PCT = 50  # default share of the expected people checked in before a re-plan
REPLAN_SETTING = "replan_min_present_pct"  # the operation's setting (its config) that overrides it


def replan_min_present(operation: Operation) -> int:
    """The share (percent) of the expected people who must be checked in at the apel before
    the pergeseran before its absentees may be re-planned: the operation's setting, else 50."""
    value = (operation.config or {}).get(REPLAN_SETTING, REPLAN_MIN_PRESENT_PCT)
    try:
        share = int(value)
    except (TypeError, ValueError):
        return REPLAN_MIN_PRESENT_PCT
    return min(max(share, 0), 100)


def replan_newcomers(operation: Operation) -> bool:
    """Whether the absentee re-plan may call to the vote's posts people who were not at the apel
    (the operation's setting `replan_newcomers`; else only those the apel gathered)."""
    return bool((operation.config or {}).get("replan_newcomers", False))


def _now() -> dt.datetime:
    return timezone.localtime() if timezone.is_aware(timezone.now()) else timezone.now()


def replan_refusal(
    plan: Plan, user: Any, now: dt.datetime | None = None, ready: dict[str, Any] | None = None
) -> str | None:
    """Why the absentees of the apel before the pergeseran may not be re-planned yet, or None:
    the apel has not started (everyone would be absent), or fewer than the operation's share
    of the expected people are checked in (the roll call is not done; `replan_min_present`).
    `ready`: that apel's `readiness` for this user when the caller has it already."""
    apel = apel_of(plan.operation, "")
    now = now or _now()
    if apel.start is not None:
        start = apel.start if timezone.is_aware(apel.start) else timezone.make_aware(apel.start)
        moment = now if timezone.is_aware(now) else timezone.make_aware(now)
        if moment < start:
            return _(
                "%(apel)s belum dimulai (mulai %(start)s). Susun ulang dengan yang tidak hadir dapat dijalankan "
                "setelah apel dimulai dan kehadiran dicatat."
            ) % {"apel": apel.name, "start": date_format(timezone.localtime(start), "j F Y H.i")}
    ready = ready or readiness(plan, user, "")
    share = replan_min_present(plan.operation)
    if ready["expected"] and 100 * ready["present"] < share * ready["expected"]:
        return _(
            "Baru %(present)s dari %(expected)s personel tercatat hadir; susun ulang memerlukan paling sedikit "
            "%(share)s%% hadir. Jika dijalankan sekarang, %(absent)s personel dianggap tidak hadir. Catat "
            "kehadiran dulu."
        ) % {
            "present": ready["present"],
            "expected": ready["expected"],
            "share": share,
            "absent": ready["expected"] - ready["present"],
        }
    return None


def replan_absentees(
    plan: Plan, user: Any, key: str, absent: list[str] | None = None, request: Any = None
) -> tuple[AbsenteeReplan, bool]:
    """A minimal-change re-plan without the absentees (all not checked in at the apel before
    the pergeseran, unless named). Refused (`replan_refusal`) before that apel starts or while
    too few are checked in, from the page and the phone API alike; a retry of a started re-plan
    (its key) returns it."""
    require(user, "plan")
    earlier = AbsenteeReplan.objects.filter(key=key, plan__operation_id=plan.operation_id).first()
    if earlier is None:
        refused = replan_refusal(plan, user)
        if refused:
            raise FieldError(refused)
    names = sorted(set(absent)) if absent is not None else absentees(plan, user)
    unknown = set(names) - set(assigned_posts(plan))
    if unknown:
        raise FieldError(_("tidak ada dalam rencana ini: %(codes)s") % {"codes": ", ".join(sorted(unknown)[:5])})

    def create() -> AbsenteeReplan:
        return AbsenteeReplan.objects.create(plan=plan, absent=names, by=user, key=key)

    row, created = once(AbsenteeReplan, key, user, "by", create)
    if row.job_id is None:  # started after the row is committed, so the job's thread sees it
        # the places of the absent go to those the apel gathered, unless the operation's setting
        # lets the re-plan call in people who were not there (docs/scenario.md, replan_newcomers)
        newcomers = replan_newcomers(plan.operation)
        params = {"plan": plan.pk, "absent": row.absent, "newcomers": newcomers}
        try:  # never beside another plan of the operation: it would not see that one's result
            row.job = start_planning(plan.operation, user, "replan", params, request)
        except PlanRunning as running:
            if created:  # nothing of this press stays: sent again later, it starts anew
                row.delete()
            raise FieldError(
                f"{running} " + _("Susun ulang yang tidak hadir belum dijalankan; setelah selesai, jalankan lagi.")
            ) from None
        row.save(update_fields=["job"])
    return row, created
