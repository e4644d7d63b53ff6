"""What changed in an operation's data since a plan version was made, as the checker counts it.

A version passed the independent checker on the data of its day. Its orders are checked again
on the data of now (`orders.write`, in the orders job), and refused when the data changed since
(`services.ORDERS_REFUSED`: "tidak lagi sesuai dengan data operasi"). `since(plan)` finds the
changes that make the checker refuse it, without running it (four indexed queries, a few
milliseconds at 2,000 TPS), so that the plan page says what changed and the orders download
refuses at once, before any job is started:

- categories: a TPS whose category in the data differs from the version's (the checker's
  `category` rule; a TPS whose category the version's re-plans set keeps the re-plan's, as the
  checker reads a re-plan: `facts.as_replanned`);
- TPS added to the data or removed from it since (`category`: a version names every TPS);
- people on the version's posts whom the data now marks not ready (not among the version's own
  absentees) or no longer holds (`eligibility`).

What else the checker reads (a unit moved, the pattern's strength) is left to the orders job's
own check, which still refuses such a version with its message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from siaga.operations.labels import CATEGORY_LABELS
from siaga.plans.models import Plan

SHOWN = 20  # the category changes a page lists by name; the rest are counted


@dataclass(frozen=True)
class CategoryChange:
    code: str
    before: str  # the version's category (a Category value)
    after: str  # the data's


@dataclass(frozen=True)
class DataChanges:
    """What the data holds and the version does not (empty: the version still matches)."""

    categories: list[CategoryChange] = field(default_factory=list)
    tps_added: int = 0
    tps_removed: int = 0
    not_ready: list[str] = field(default_factory=list)  # NRP/NIK on the version's posts
    gone: int = 0  # people on the version's posts the data no longer holds

    def __bool__(self) -> bool:
        return bool(self.categories or self.tps_added or self.tps_removed or self.not_ready or self.gone)

    @property
    def replan_takes(self) -> bool:
        """A re-plan of the version takes these changes (its form filled with them): categories
        and people not ready. TPS added or removed need a new plan from the data."""
        return bool(self.categories or self.not_ready) and not (self.tps_added or self.tps_removed)

    @property
    def replan_categories(self) -> str:
        """The category changes as the re-plan form's paste lines, the category in the reader's
        words as its example writes it (`KODE_TPS=Sangat rawan`; the form reads words and codes)."""
        return "\n".join(f"{c.code}={_label(c.after)}" for c in self.categories)

    @property
    def replan_absent(self) -> str:
        """The people not ready as the re-plan form's absentee lines."""
        return "\n".join(self.not_ready)

    def what_counted(self) -> str:
        """`what`, naming no TPS: for a reader who may not see every TPS (a sector chief)."""
        return self.what(name_one=False)

    def what(self, name_one: bool = True) -> str:
        """What changed, in one line of the reader's language: "kategori TPS X berubah dari Rawan
        menjadi Sangat rawan", counted when there are more (or always, without `name_one`)."""
        parts = []
        if len(self.categories) == 1 and name_one:
            c = self.categories[0]
            parts.append(
                _("kategori TPS %(code)s berubah dari %(before)s menjadi %(after)s")
                % {"code": c.code, "before": _label(c.before), "after": _label(c.after)}
            )
        elif self.categories:
            n = len(self.categories)
            parts.append(ngettext("kategori %(n)s TPS berubah", "kategori %(n)s TPS berubah", n) % {"n": n})
        if self.tps_added:
            n = self.tps_added
            parts.append(ngettext("%(n)s TPS baru di data", "%(n)s TPS baru di data", n) % {"n": n})
        if self.tps_removed:
            n = self.tps_removed
            parts.append(ngettext("%(n)s TPS tidak ada lagi di data", "%(n)s TPS tidak ada lagi di data", n) % {"n": n})
        if self.not_ready:
            n = len(self.not_ready)
            words = ngettext(
                "%(n)s personel yang bertugas kini tertanda tidak siap",
                "%(n)s personel yang bertugas kini tertanda tidak siap",
                n,
            )
            parts.append(words % {"n": n})
        if self.gone:
            n = self.gone
            words = ngettext(
                "%(n)s personel yang bertugas tidak ada lagi di data",
                "%(n)s personel yang bertugas tidak ada lagi di data",
                n,
            )
            parts.append(words % {"n": n})
        return "; ".join(parts)

    def todo(self) -> str:
        """What to do about it, in the reader's language."""
        if self.replan_takes:
            return _(
                "Susun ulang rencana dengan perubahan ini (penugasan lain tetap) atau susun rencana baru dari data "
                "terbaru, setujui, lalu cetak."
            )
        return _("Susun rencana baru dari data terbaru, setujui, lalu cetak.")

    def refusal(self) -> str:
        """Why the orders of the version are not printed, and what to do (the orders download)."""
        return _("Surat perintah tidak dicetak: data operasi berubah sejak versi ini disusun (%(what)s). %(todo)s") % {
            "what": self.what(),
            "todo": self.todo(),
        }


def since(plan: Plan) -> DataChanges:
    """The changes in the plan's operation's data since the version was made that the checker
    refuses the version for (see the module's docstring)."""
    operation = plan.operation
    replanned = (plan.extra or {}).get("replan") or {}
    set_by_replan = set(dict(replanned.get("category_changes") or {}))
    in_plan = dict(plan.tps_rows.values_list("tps_code", "category"))
    in_data = dict(operation.tps_set.values_list("code", "effective_category"))
    categories = [
        CategoryChange(code, before, in_data[code])
        for code, before in sorted(in_plan.items())
        if code in in_data and in_data[code] and in_data[code] != before and code not in set_by_replan
    ]
    on_posts = set(plan.assignments.values_list("person_code", flat=True))
    absent = set(replanned.get("absent") or [])
    placed = plan.assignments.values("person_code")  # a subquery: no list of thousands of codes sent
    ready = dict(operation.personnel.filter(code__in=placed).values_list("code", "available"))
    return DataChanges(
        categories=categories,
        tps_added=len(in_data.keys() - in_plan.keys()),
        tps_removed=len(in_plan.keys() - in_data.keys()),
        not_ready=sorted(c for c, available in ready.items() if not available and c not in absent),
        gone=len(on_posts - ready.keys()),
    )


def _label(category: str) -> str:
    return str(CATEGORY_LABELS.get(category, category))
