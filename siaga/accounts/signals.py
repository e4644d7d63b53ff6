"""Disabling a user ends their sessions at once."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone


@receiver(post_save, sender=get_user_model())
def end_sessions_of_disabled_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.is_active:
        return
    for session in Session.objects.filter(expire_date__gte=timezone.now()):
        if session.get_decoded().get("_auth_user_id") == str(instance.pk):
            session.delete()
