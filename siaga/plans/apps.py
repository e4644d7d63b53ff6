from django.apps import AppConfig


class PlansConfig(AppConfig):
    name = "siaga.plans"
    verbose_name = "Rencana"
