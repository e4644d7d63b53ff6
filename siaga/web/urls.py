from django.urls import include, path
from django.views.i18n import set_language

urlpatterns = [
    path("i18n/setlang/", set_language, name="set_language"),
    path("", include("siaga.accounts.urls")),
    path("", include("siaga.operations.urls")),
    path("plans/", include("siaga.plans.urls")),
    path("audit/", include("siaga.audit.urls")),
    path("", include("siaga.field.urls")),
]

handler403 = "siaga.web.errors.forbidden"
