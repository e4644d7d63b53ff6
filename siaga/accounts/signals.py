"""Disabling a user ends their sessions at once; a user is never deleted, only disabled (the
audit log names them, and its entries cannot change: docs/security.md "Masuk dan penguncian")."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.sessions.models import Session
from django.core.exceptions import PermissionDenied
from django.db.models.signals import post_save, pre_delete
from django.dispatch import receiver
from django.utils import timezone
from django.utils.translation import gettext as _


class UserNotDeleted(PermissionDenied):
    """Deleting a user is refused: disable them (`manage.py deactivate USER`)."""


@receiver(post_save, sender=get_user_model())
def end_sessions_of_disabled_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    if instance.is_active:
        return
    for session in Session.objects.filter(expire_date__gte=timezone.now()):
        if session.get_decoded().get("_auth_user_id") == str(instance.pk):
            session.delete()


@receiver(pre_delete, sender=get_user_model())
def refuse_deleting_a_user(sender: Any, instance: Any, **kwargs: Any) -> None:
    """Every delete (one user, a queryset, a cascade) asks here first and is refused: the audit
    entries keep pointing at their user, and a disabled user can neither sign in nor keep a
    session."""
    raise UserNotDeleted(
        _("Pengguna %(username)s tidak dapat dihapus; nonaktifkan saja (manage.py deactivate %(username)s).")
        % {"username": instance.get_username()}
    )
