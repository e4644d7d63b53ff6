"""Writing to the audit log: every change, and every read of the roster by someone who does
not own it (UU PDP)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from siaga.audit.models import AuditEntry


def client_ip(request: HttpRequest | None) -> str | None:
    if request is None:
        return None
    return request.META.get("REMOTE_ADDR") or None


def record(
    request: HttpRequest | None,
    action: str,
    object_type: str,
    object_id: object = "",
    *,
    operation_id: int | None = None,
    before: Any = None,
    after: Any = None,
    user: Any = None,
) -> AuditEntry:
    user = user if user is not None else getattr(request, "user", None)
    authenticated = user is not None and getattr(user, "is_authenticated", False)
    return AuditEntry.objects.create(
        user=user if authenticated else None,
        username=user.get_username() if authenticated else "",
        ip=client_ip(request),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        operation_id=operation_id,
        before=before,
        after=after,
    )
