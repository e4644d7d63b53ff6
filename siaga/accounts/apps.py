from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "siaga.accounts"
    verbose_name = "Akun"

    def ready(self) -> None:
        from siaga.accounts import signals  # noqa: F401  (connects the receivers)
