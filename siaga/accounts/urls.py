from django.urls import path

from siaga.accounts import views

urlpatterns = [
    path("login/", views.SiagaLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
]
