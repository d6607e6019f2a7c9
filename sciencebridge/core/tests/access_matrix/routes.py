"""Every route of the URL conf, walked recursively (namespaces, includes, the DRF router).

A route is keyed by its URL name (``namespace:name``); an unnamed route is keyed by its full pattern
(e.g. ``^static/(?P<path>.*)$``), so it needs a rule like any other.
"""

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    key: str
    pattern: str
    callback: str


def _walk(resolver, prefix="", namespace=None):
    for p in resolver.url_patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            full = prefix + str(p.pattern)
            key = (f"{namespace}:{p.name}" if namespace else p.name) if p.name else full
            cb = p.callback
            yield Route(key, full, f"{getattr(cb, '__module__', '')}.{getattr(cb, '__name__', '')}")


URLCONF = "sciencebridge.core.tests.access_matrix.urls_default"


def all_routes() -> list[Route]:
    return list(_walk(get_resolver(URLCONF)))


def route_keys() -> list[str]:
    """Each key once, in URL-conf order (the DRF format-suffix variants share their route's name)."""
    seen = {}
    for r in all_routes():
        seen.setdefault(r.key, r)
    return list(seen)


def is_admin(route: Route) -> bool:
    return route.key.startswith("admin:") or route.pattern.startswith("admin/")
