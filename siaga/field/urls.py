"""Running the operation: the phone API and the field pages."""

from django.urls import path

from siaga.field import (
    views_apel,
    views_custody,
    views_day,
    views_interchange,
    views_linmas,
    views_map,
    views_offline,
    views_person,
    views_polda,
    views_register,
)
from siaga.field.api import api

urlpatterns = [
    path("api/", api.urls),
    path("polda/", views_polda.polda_dashboard, name="polda_dashboard"),
    path("polda/orders/", views_polda.polda_orders_start, name="polda_orders_start"),
    path("polda/orders/<int:pk>.zip", views_polda.polda_orders_file, name="polda_orders_file"),
    # the phone's service worker, at the root so its scope covers the field pages (views_offline)
    path("sw.js", views_offline.service_worker, name="service_worker"),
    # the PPS Linmas decree and the KPU/PPS coordination list
    path("ops/<int:op_id>/linmas/", views_linmas.linmas_coordination, name="linmas_coordination"),
    path("ops/<int:op_id>/linmas/preview/", views_linmas.linmas_preview, name="linmas_preview"),
    path("ops/<int:op_id>/linmas/confirm/", views_linmas.linmas_confirm, name="linmas_confirm"),
    path("ops/<int:op_id>/geo/posts.geojson", views_map.geo_posts, name="geo_posts"),
    # the apel and equipment readiness (views_apel)
    path("plans/<int:pk>/apel/", views_apel.apel, name="apel"),
    path("plans/<int:pk>/apel/readiness/", views_apel.readiness, name="apel_readiness"),
    path("plans/<int:pk>/apel/checkin/", views_apel.checkin, name="apel_checkin"),
    path("plans/<int:pk>/apel/checkin/unit/", views_apel.checkin_unit, name="apel_checkin_unit"),
    path("plans/<int:pk>/apel/checkin/undo/", views_apel.checkin_undo, name="apel_checkin_undo"),
    path("plans/<int:pk>/apel/replan/", views_apel.absentee_replan, name="apel_replan"),
    path("plans/<int:pk>/sarpras/", views_apel.sarpras, name="sarpras"),
    path("plans/<int:pk>/person/<str:code>/", views_person.person, name="plan_person"),
    # the move to the posts, election day, incidents and the report (views_day)
    path("plans/<int:pk>/board/", views_day.board, name="field_board"),
    path("plans/<int:pk>/phone/", views_day.phone, name="field_phone"),
    path("plans/<int:pk>/phone/reports/", views_day.report_status, name="field_report_status"),
    path("plans/<int:pk>/incidents/", views_day.incidents, name="field_incidents"),
    path("plans/<int:pk>/incidents/register/", views_register.register, name="incident_register"),
    path("plans/<int:pk>/live/", views_day.live, name="field_live"),
    path("plans/<int:pk>/report.pdf", views_day.report, name="field_report"),
    # escorts and the buku mutasi (views_custody)
    path("plans/<int:pk>/escorts/", views_custody.escorts, name="field_escorts"),
    path("plans/<int:pk>/escorts/step/", views_custody.escort_step, name="field_escort_step"),
    path("plans/<int:pk>/escorts/entry/", views_custody.guard_entry, name="field_guard_entry"),
    path("plans/<int:pk>/escorts/manifest/", views_custody.escort_manifest, name="field_escort_manifest"),
    # out to Polri's systems (SOT, EWS) and TPS coordinates back in (views_interchange)
    path("ops/<int:op_id>/interchange/", views_interchange.interchange, name="interchange"),
    path("ops/<int:op_id>/interchange/<str:name>", views_interchange.interchange_file, name="interchange_file"),
    path("ops/<int:op_id>/interchange/coordinates/", views_interchange.coordinates_preview, name="coordinates_preview"),
    path(
        "ops/<int:op_id>/interchange/coordinates/confirm/",
        views_interchange.coordinates_confirm,
        name="coordinates_confirm",
    ),
]
