"""The apel's absentee re-plan is started as every plan of the operation is (plans.services
`start_planning`): never beside a plan or re-plan queued or running, which it would not see;
the press is refused in words and leaves nothing behind, and sent again later it starts."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from siaga.field.models import AbsenteeReplan
from siaga.plans.models import PlanJob
from siaga.plans.services import start_job
from tests.web.conftest import publish
from tests.web.test_field_apel import messages_of, people_in, present


def test_the_absentee_replan_waits_for_a_plan_being_made(as_planner, plan, settings):
    publish(plan)
    people = people_in(plan)
    present(plan, people[1:])
    running = start_job(
        plan.operation, get_user_model().objects.get(username="planner"), "plan"
    )  # queued: no worker in tests
    sent = {"key": "apel-1", "confirm": "yes"}
    response = as_planner.post(f"/plans/{plan.pk}/apel/replan/", sent, follow=True)
    said = messages_of(response)
    assert "sedang disusun" in said and "belum dijalankan" in said
    assert not AbsenteeReplan.objects.exists()
    assert list(PlanJob.objects.values_list("pk", flat=True)) == [running.pk]

    running.status = PlanJob.Status.DONE
    running.save(update_fields=["status"])
    settings.SIAGA_JOBS_INLINE = True
    assert as_planner.post(f"/plans/{plan.pk}/apel/replan/", sent).status_code == 302
    row = AbsenteeReplan.objects.get()
    assert row.absent == [people[0]] and row.job is not None and row.job.kind == "replan"


def test_the_absentee_replan_fills_from_those_at_the_apel_unless_the_operation_says_so(
    as_planner, plan, operation, settings
):
    settings.SIAGA_JOBS_INLINE = True
    publish(plan)
    people = people_in(plan)
    present(plan, people[3:])
    page = as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()
    assert "tidak ikut apel tidak dipanggil" in page
    assert as_planner.post(f"/plans/{plan.pk}/apel/replan/", {"key": "a", "confirm": "yes"}).status_code == 302
    row = AbsenteeReplan.objects.get()
    assert row.job is not None and row.job.params["newcomers"] is False and row.job.plan is not None
    placed = set(row.job.plan.assignments.values_list("person_code", flat=True))
    assert placed and placed <= set(people[3:])  # nobody who was not at the apel

    operation.config = {**operation.config, "replan_newcomers": True}
    operation.save(update_fields=["config"])
    assert "dapat dipanggil (pengaturan operasi)" in as_planner.get(f"/plans/{plan.pk}/apel/").content.decode()
