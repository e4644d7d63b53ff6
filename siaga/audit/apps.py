from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "siaga.audit"
    verbose_name = "Jejak audit"
