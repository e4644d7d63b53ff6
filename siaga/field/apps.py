from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "siaga.field"
    verbose_name = "Pelaksanaan operasi"
