"""Writing to the audit log: every change, and every read of the roster by someone who does
not own it (UU PDP)."""

from __future__ import annotations

import getpass
from typing import Any

from django.http import HttpRequest

from siaga.audit.models import AuditEntry

# The user name an entry made by a command on the server (`manage.py akun`, `deactivate`,
# `unlock`) records: the server's account that ran it, so the log says who (reading.who_of).
SERVER = "server:"


def _server_account() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this process's uid (a bare container)
        return "?"


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address: the connection's, or a configured trusted proxy's X-Forwarded-For
    (one function for the audit and the login throttle: siaga/accounts/addresses.py)."""
    from siaga.accounts.addresses import client_ip as address_of

    return address_of(request)


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
        username=user.get_username() if authenticated else (SERVER + _server_account() if request is None else ""),
        ip=client_ip(request),
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        operation_id=operation_id,
        before=before,
        after=after,
    )
