from django.urls import path

from siaga.accounts import views, views_accounts

urlpatterns = [
    path("login/", views.SiagaLoginView.as_view(), name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("accounts/", views_accounts.account_list, name="account_list"),
    path("accounts/new/", views_accounts.account_add, name="account_add"),
    path("accounts/<int:pk>/", views_accounts.account_edit, name="account_edit"),
    path("accounts/<int:pk>/password/", views_accounts.account_password, name="account_password"),
    path("accounts/<int:pk>/active/", views_accounts.account_active, name="account_active"),
]
