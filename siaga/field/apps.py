from django.apps import AppConfig


class FieldConfig(AppConfig):
    name = "siaga.field"
    verbose_name = "Pelaksanaan operasi"

    def ready(self) -> None:
        """The audit reads an incident's steps in the field's words (it never imports the field)."""
        from siaga.audit import reading
        from siaga.field.services.taxonomy import COMMAND, KINDS, SEVERITIES, STATUS

        reading.INCIDENT_WORDS.update(status=STATUS, command=COMMAND, severity=SEVERITIES, kind=KINDS)
