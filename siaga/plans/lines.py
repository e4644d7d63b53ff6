"""Lines the system writes for later readers, shown in the reader's language: what a job says
while it runs and when it ends, and the note of a plan version ("Susun ulang: 3 tidak hadir").

A line is stored as its text in Indonesian, which is the message id of the catalogue, and the
values it names (`PlanJob.line`, `Plan.note_line`); every page translates it when it shows it,
so a planner who reads the console in English reads English, whatever language the worker ran
in. Beside it the Indonesian text is kept as it was always stored: `PlanJob.message`, with, for
a failure, the technical detail after it (the page's "Rincian teknis"), and `Plan.note`. Rows
stored before lines were kept have only that text: it is shown as it was stored.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext

from siaga.plans.models import Plan, PlanJob

# The value of a line that is itself a text of ours where it can be: why a job failed (a
# message id, such as the orders' refusal, or the words of an error), translated when shown.
REASON = "reason"


def tell(job: PlanJob, status: str, percent: int, text: str, detail: str = "", **values: Any) -> None:
    """Store the job's status, progress and line (`text`, a message id marked with
    gettext_noop, with its %(name)s `values`); `detail`: technical lines after it."""
    job.status, job.progress = status, percent
    job.line = said(text, **values)
    job.message = written(job.line) + (f"\n{detail}" if detail else "")
    job.save(update_fields=["status", "progress", "line", "message"])


def said(text: str, **values: Any) -> dict[str, Any]:
    """A line to store: its message id (marked with gettext_noop) and its %(name)s values."""
    return {"text": text, "values": values}


def written(line: dict[str, Any]) -> str:
    """The line in Indonesian, as stored beside it."""
    return _filled(line["text"], line.get("values") or {})


def note_of(plan: Plan) -> str:
    """The plan version's note in the language of the request ("" when blanked for a reader
    below the whole Polres: `scope.hide_notes`)."""
    if not plan.note:
        return ""
    return shown(plan.note_line) or plan.note


def shown(line: dict[str, Any] | None) -> str:
    """A stored line in the language of the request ("" for none)."""
    line = line or {}
    text = line.get("text")
    if not text:
        return ""
    values = dict(line.get("values") or {})
    if REASON in values:
        values[REASON] = gettext(str(values[REASON]))
    return _filled(gettext(text), values)


def line_of(job: PlanJob | None) -> str:
    """The job's line in the language of the request."""
    if job is None:
        return ""
    return shown(job.line) or job.message.partition("\n")[0]


def reason_of(job: PlanJob | None) -> str:
    """Why the job failed, in the language of the request (its line without "Gagal: ")."""
    if job is None:
        return ""
    line = job.line or {}
    values = line.get("values") or {}
    if line.get("text") and REASON in values:
        return gettext(str(values[REASON]))
    return job.message.partition("\n")[0].removeprefix("Gagal: ")


def _filled(text: str, values: dict[str, Any]) -> str:
    return text % values if values else text
