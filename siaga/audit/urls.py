from django.urls import path

from siaga.audit import views

urlpatterns = [path("", views.audit_list, name="audit_list")]
