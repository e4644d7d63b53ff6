"""What SQLite lets pass but PostgreSQL refuses: every choice must fit its column."""

from django.apps import apps


def test_it_gives_every_choice_a_column_wide_enough():
    too_long = [
        (model.__name__, f.name, value)
        for model in apps.get_models()
        for f in model._meta.fields
        if getattr(f, "choices", None) and f.max_length
        for value, _ in f.flatchoices
        if len(str(value)) > f.max_length
    ]
    assert too_long == []
