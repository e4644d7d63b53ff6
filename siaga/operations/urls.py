from django.urls import path

from siaga.operations import (
    views,
    views_basemap,
    views_boundaries,
    views_data,
    views_kpu,
    views_regions,
    views_risk,
)

urlpatterns = [
    path("", views.home, name="dashboard"),
    path("ops/<int:op_id>/", views.dashboard, name="dashboard_for"),
    # import, export and the data itself (views_data)
    path("import/", views_data.import_upload, name="import"),
    path("import/confirm/", views_data.import_confirm, name="import_confirm"),
    path("template.xlsx", views_data.template_download, name="template_download"),
    path("ops/<int:op_id>/export.xlsx", views_data.export, name="export"),
    path("ops/<int:op_id>/regions/", views_data.regions_list, name="regions_list"),
    path("ops/<int:op_id>/regions/boundaries/", views_boundaries.boundaries_import, name="boundaries_import"),
    path("ops/<int:op_id>/tps/", views_data.tps_list, name="tps_list"),
    path("ops/<int:op_id>/tps/<int:pk>/edit/", views_data.tps_edit, name="tps_edit"),
    path("ops/<int:op_id>/units/", views_data.units_list, name="units_list"),
    path("ops/<int:op_id>/personnel/", views_data.personnel_list, name="personnel_list"),
    path("ops/<int:op_id>/personnel/<int:pk>/edit/", views_data.person_edit, name="person_edit"),
    path("ops/<int:op_id>/personnel/add/", views_data.row_add, {"kind": "person"}, name="person_add"),
    path("ops/<int:op_id>/personnel/bulk/", views_data.personnel_bulk, name="personnel_bulk"),
    path("ops/<int:op_id>/tps/add/", views_data.row_add, {"kind": "tps"}, name="tps_add"),
    path("ops/<int:op_id>/tps/bulk/", views_data.tps_bulk, name="tps_bulk"),
    path("ops/<int:op_id>/tps/kpu/", views_kpu.kpu_tps_import, name="kpu_tps_import"),
    path("ops/<int:op_id>/regions/kemendagri/", views_regions.kemendagri_import, name="kemendagri_import"),
    path("ops/<int:op_id>/units/add/", views_data.row_add, {"kind": "unit"}, name="unit_add"),
    path("ops/<int:op_id>/units/<int:pk>/edit/", views_data.unit_edit, name="unit_edit"),
    path("ops/<int:op_id>/<str:kind>/<int:pk>/remove/", views_data.row_remove, name="row_remove"),
    path("ops/<int:op_id>/versions/", views_data.versions, name="versions"),
    path("ops/<int:op_id>/rename/", views_data.operation_rename, name="operation_rename"),
    path("ops/<int:op_id>/archive/", views_data.operation_archive, name="operation_archive"),
    # vulnerability and the map (views_risk)
    path("ops/<int:op_id>/vulnerability/", views_risk.vulnerability, name="vulnerability"),
    path("ops/<int:op_id>/tps/<int:pk>/", views_risk.tps_detail, name="tps_detail"),
    path("ops/<int:op_id>/tps/<int:pk>/override/", views_risk.tps_override, name="tps_override"),
    path("ops/<int:op_id>/desa/<int:pk>/", views_risk.desa_detail, name="desa_detail"),
    path("ops/<int:op_id>/map/", views_risk.map_view, name="map"),
    path("ops/<int:op_id>/geo/tps.geojson", views_risk.geo_tps, name="geo_tps"),
    path("ops/<int:op_id>/geo/boundaries.geojson", views_boundaries.geo_boundaries, name="geo_boundaries"),
    path("map/basemap.pmtiles", views_basemap.basemap_file, name="basemap_file"),
]
