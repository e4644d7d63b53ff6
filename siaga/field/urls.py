"""Running the operation: the phone API (and, later, the field pages)."""

from django.urls import path

from siaga.field.api import api

urlpatterns = [path("api/", api.urls)]
