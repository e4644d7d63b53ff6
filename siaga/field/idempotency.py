"""Idempotency keys bound to their request (issue 15 item 7).

Every write of the field API carries an `Idempotency-Key`; the services store one record per key
(`services.common.once`). On its own that answers a key reused with *another* payload with the
first payload's record and a 201, and the second write is silently lost. Here the key is bound,
in the write's own transaction, to its sender and to a digest of its request (method, path, and
the body: JSON compared as data, so key order and spacing do not matter; a multipart upload by
its fields and the SHA-256 of each file). The same request again goes through (the service finds
its record); another request under the key is a 409 with a message. A write that is refused
(any 4xx/5xx) rolls its binding back with it, so a corrected retry is not blocked.

`KeyedRouter` applies this to every POST operation of the API that takes an `idempotency_key`,
after refusing a role that may write none of them (a viewer): the role is checked before the
key or the body, so a refused user never reads of keys or fields, only that he may not.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import inspect
import json
from collections.abc import Callable
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponseBase, JsonResponse
from django.utils.translation import gettext as _
from ninja import Router
from ninja.utils import contribute_operation_callback

from siaga.accounts.roles import role_of
from siaga.field.models import KEY_LENGTH, IdempotencyKey

HEADER = "Idempotency-Key"


def fingerprint(request: HttpRequest) -> str:
    """SHA-256 of the request's method, path and content."""
    digest = hashlib.sha256()
    for part in (request.method or "", request.path):
        digest.update(part.encode() + b"\0")
    if request.content_type == "multipart/form-data":
        for name, values in sorted(request.POST.lists()):
            digest.update(json.dumps([name, values], ensure_ascii=False).encode() + b"\0")
        for name, files in sorted(request.FILES.lists()):
            for upload in files:
                content = hashlib.sha256()
                for chunk in upload.chunks():
                    content.update(chunk)
                upload.seek(0)
                digest.update(json.dumps([name, content.hexdigest()]).encode() + b"\0")
        return digest.hexdigest()
    body = request.body
    with contextlib.suppress(ValueError):  # not JSON: compared byte for byte
        body = json.dumps(json.loads(body), sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    digest.update(body)
    return digest.hexdigest()


def conflict(key: str, user: Any, request: HttpRequest) -> str | None:
    """Bind `key` to this user and request (inside the caller's transaction); None when it is
    theirs for this very request, else why not."""
    mark = fingerprint(request)
    found = IdempotencyKey.objects.filter(key=key).first()
    if found is None:
        try:
            with transaction.atomic():
                IdempotencyKey.objects.create(key=key, user=user, fingerprint=mark, path=request.path[:300])
            return None
        except IntegrityError:  # the same key, sent at the same moment: compare with the winner
            found = IdempotencyKey.objects.filter(key=key).first()
            if found is None:
                raise
    if found.user_id != user.pk:
        return _("Kunci Idempotency-Key ini sudah dipakai untuk catatan lain.")
    if found.fingerprint != mark:
        return _(
            "Kunci Idempotency-Key ini sudah dipakai untuk permintaan lain dengan isi yang berbeda; "
            "kirim permintaan baru dengan kunci baru."
        )
    return None


def keyed(run: Callable[..., HttpResponseBase], writers: frozenset[str]) -> Callable[..., HttpResponseBase]:
    """An operation's `run`, with its key bound to its request in one transaction with the write;
    a signed-in user whose role is not one of `writers` is refused first (403, in his words)."""

    def run_keyed(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER, "")
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and role_of(user) not in writers:
            return JsonResponse({"detail": _("Peran Anda tidak berwenang melakukan tindakan ini.")}, status=403)
        if not key or len(key) > KEY_LENGTH or user is None or not user.is_authenticated:
            return run(request, *args, **kwargs)  # the operation refuses it (400, 401) as before
        with transaction.atomic():
            refused = conflict(key, user, request)
            if refused:
                return JsonResponse({"detail": refused}, status=409)
            response = run(request, *args, **kwargs)
            if response.status_code >= 400:
                transaction.set_rollback(True)  # a refused write leaves its key unbound
            return response

    return run_keyed


def _bind(operation: Any, writers: frozenset[str]) -> None:
    """As ninja's `decorate_view` does: the decorator is also listed in `_run_decorators`, which
    ninja applies again to the copy of the operation it makes when the router is mounted."""
    if not hasattr(operation, "_run_decorators"):
        operation._run_decorators = []
    decorate = functools.partial(keyed, writers=writers)
    operation.run = decorate(operation.run)
    operation._run_decorators.append(decorate)


class KeyedRouter(Router):
    """A router whose POST operations taking an `idempotency_key` refuse a role not among
    `writers` and bind the key (`keyed`)."""

    def __init__(self, writers: frozenset[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.writers = writers

    def add_api_operation(self, path: str, methods: list[str], view_func: Callable[..., Any], **kwargs: Any) -> None:
        if "POST" in methods and "idempotency_key" in inspect.signature(view_func).parameters:
            contribute_operation_callback(view_func, functools.partial(_bind, writers=self.writers))
        super().add_api_operation(path, methods, view_func, **kwargs)
