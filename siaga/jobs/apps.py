from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "siaga.jobs"
    label = "jobs"
    verbose_name = "Antrean proses"
