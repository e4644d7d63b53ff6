"""The address a request comes from: the connection's, or the client's as told by a reverse
proxy named in SIAGA_TRUSTED_PROXIES (addresses or networks). An `X-Forwarded-For` header from
anyone else is ignored: a client could write any address in it. The login throttle and the audit
log both take the address here (`siaga.audit.log.client_ip` calls `client_ip`)."""

from __future__ import annotations

import ipaddress
from functools import lru_cache

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.http import HttpRequest

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Address = ipaddress.IPv4Address | ipaddress.IPv6Address


@lru_cache(maxsize=8)
def _networks(names: tuple[str, ...]) -> tuple[Network, ...]:
    try:
        return tuple(ipaddress.ip_network(name, strict=False) for name in names)
    except ValueError as exc:
        raise ImproperlyConfigured(f"SIAGA_TRUSTED_PROXIES: {exc}") from None


def _address(text: str) -> Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # "[2001:db8::1]:443"
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # "203.0.113.7:51234"
        text = text.split(":", 1)[0]
    try:
        found = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(found, "ipv4_mapped", None)
    return mapped or found


def client_ip(request: HttpRequest | None) -> str | None:
    """The client's address as text, or None when there is none worth keeping.

    Without trusted proxies: REMOTE_ADDR. With them, and only when the connection comes from one:
    `X-Forwarded-For` read from the right, skipping the trusted proxies; the first address that is
    not one of them is the client (an unreadable entry there stops the walk at the proxy)."""
    if request is None:
        return None
    remote = _address(request.META.get("REMOTE_ADDR") or "")
    trusted = _networks(tuple(getattr(settings, "SIAGA_TRUSTED_PROXIES", ()) or ()))
    if remote is None or not trusted:
        return str(remote) if remote is not None else None

    def is_trusted(address: Address) -> bool:
        return any(address.version == net.version and address in net for net in trusted)

    client = remote
    if is_trusted(remote):
        hops = [h for h in (request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if h.strip()]
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                break
            client = address
            if not is_trusted(address):
                break
    return str(client)
