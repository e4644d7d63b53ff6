from django.urls import path

from siaga.plans import views, views_bawaslu, views_lists

urlpatterns = [
    path("ops/<int:op_id>/", views.plan_list, name="plan_list"),
    path("ops/<int:op_id>/start/", views.plan_start, name="plan_start"),
    path("ops/<int:op_id>/categories-to-data/", views.categories_to_data, name="plan_categories_to_data"),
    path("jobs/<int:pk>/", views.job_status, name="job_status"),
    path("<int:pk>/", views.plan_detail, name="plan_detail"),
    path("<int:pk>/plan.json", views.plan_json, name="plan_json"),
    path("<int:pk>/orders/<str:name>", views.plan_orders, name="plan_orders"),
    path("<int:pk>/konsep/sprin.pdf", views.plan_konsep, name="plan_konsep"),
    path("<int:pk>/reassign/", views.reassign, name="plan_reassign"),
    path("<int:pk>/approve/", views.approve, name="plan_approve"),
    path("<int:pk>/signoff/", views.sign_off, name="plan_signoff"),
    path("ops/<int:op_id>/bawaslu/", views_bawaslu.bawaslu_import, name="bawaslu_import"),
    path("ops/<int:op_id>/bawaslu/confirm/", views_bawaslu.bawaslu_confirm, name="bawaslu_confirm"),
    path("<int:pk>/publish/", views.publish, name="plan_publish"),
    path("<int:pk>/withdraw/", views.withdraw, name="plan_withdraw"),
    path("<int:pk>/candidates/", views.candidates, name="plan_candidates"),
    path("<int:pk>/people/", views.people_search, name="plan_people"),
    path("<int:pk>/replan/", views.replan, name="plan_replan"),
    path("<int:pk>/pin/", views.pin, name="plan_pin"),
    path("<int:pk>/unpin/", views.unpin, name="plan_unpin"),
    path("<int:pk>/reinforce/", views.reinforce, name="plan_reinforce"),
    path("<int:pk>/psu/", views.psu, name="plan_psu"),
    path("<int:pk>/simulate/", views.simulate, name="plan_simulate"),
    path("<int:pk>/posts/", views_lists.posts_list, name="plan_posts"),
    path("<int:pk>/empty-why/", views.empty_why, name="plan_empty_why"),
    path("<int:pk>/diff/<int:other>/", views.diff, name="plan_diff"),
]
