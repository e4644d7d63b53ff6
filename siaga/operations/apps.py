from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "siaga.operations"
    verbose_name = "Operasi"
