"""The small rule language of the access matrix.

A rule says, for one route, what every identity gets on GET and who may act on it by POST:

- ``public()``: everyone, signed in or not, reads it (200).
- ``signed_in()``: every signed-in identity reads it; anonymous users are sent to log in.
- ``allow(a, b, ...)``: only these identities read it (200); anonymous → log in; everyone else 403/404.
  ``redirect=(...)``: these identities are sent elsewhere (302, not to the login page), which also counts as
  not shown. ``post=allow(...)``: who may POST, when it differs from who may read.
- ``post_only(a, b, ...)``: an action URL: GET is refused (405, anonymous → log in); only these identities may
  POST; for everyone else the POST is refused (403/404/login) and nothing in the database changes.
- ``not_allowed()``: GET is refused to everyone with 405 (e.g. the API token endpoint, logout).
- ``staff_only()``: Django admin — superusers get it, everyone else is sent to the admin login.
- ``files(allowed)``: the file route ``core:file``: every stored file is served (200) to the identities in
  ``allowed``; everyone else must not get it (refused any way: 403/404/log in).
- ``skip("why")``: the route cannot be filled from the world; counted and printed.

``per_variant={"draft": allow(...), ...}`` gives a variant of the route (see ``targets.py``) its own rule.
``absent={identity: fn(world) -> [text, ...]}``: where that identity reads the page, none of the texts may
appear in it (a page one may open but that must hide one object, e.g. a chair's panel and their conflict).
"""

from dataclasses import dataclass, field

from . import identities as ids

OK = "200"
REDIRECT = "redirect"
LOGIN = "login"  # 302 to the login page (pages) or 401/403 (API)
DENY = "deny"  # 403 or 404 (anonymous: LOGIN also counts)
NOT_ALLOWED = "405"
UNCHANGED = "unchanged"  # POST: any answer, but nothing in the database changes
NOT_SERVED = "not served"  # anything but 2xx: refused, sent to log in, not found
ANY = "any"  # not asserted beyond "no server error"

EVERYONE = ids.ALL
SIGNED_IN = tuple(i for i in ids.ALL if i != ids.ANON)


@dataclass
class Rule:
    get: dict = field(default_factory=dict)  # identity -> outcome
    post: dict | None = None  # identity -> outcome for POST; None: POST not checked
    skip: str = ""
    per_variant: dict = field(default_factory=dict)
    absent: dict = field(default_factory=dict)
    files: bool = False
    sample: tuple = ()  # checked only for these identities (documented reason in the table)

    def for_variant(self, variant: str) -> "Rule":
        if variant in self.per_variant:
            return self.per_variant[variant]
        if (
            self.files
        ):  # a stored file: the rule of the longest matching label prefix; none: a new kind of file
            matches = [prefix for prefix in self.per_variant if variant.startswith(prefix)]
            if not matches:
                raise LookupError(
                    f"stored file {variant!r} has no rule: say who may read it in rules.py"
                )
            return self.per_variant[max(matches, key=len)]
        return self


def _table(allowed, *, redirect=(), anon=LOGIN, others=DENY, allowed_outcome=OK):
    t = {}
    for who in ids.ALL:
        if who in allowed:
            t[who] = allowed_outcome
        elif who in redirect:
            t[who] = REDIRECT
        elif who == ids.ANON:
            t[who] = anon
        else:
            t[who] = others
    return t


def _post_table(allowed, get):
    """Who may POST: ``allowed`` (not asserted); those who may read but not act: the database is unchanged;
    everyone else is refused as on GET (and the database is unchanged)."""
    return {
        who: ANY if who in allowed else UNCHANGED if get[who] == OK else get[who] for who in ids.ALL
    }


def public(**kw) -> Rule:
    return Rule(get=_table(EVERYONE), **kw)


def public_redirect(**kw) -> Rule:
    return Rule(get=_table((), redirect=EVERYONE, anon=REDIRECT), **kw)


def signed_in(redirect=(), **kw) -> Rule:
    allowed = tuple(i for i in SIGNED_IN if i not in redirect)
    return Rule(get=_table(allowed, redirect=redirect), **kw)


def allow(*who, redirect=(), post=None, anon=LOGIN, **kw) -> Rule:
    get = _table(who, redirect=redirect, anon=anon)
    return Rule(get=get, post=_post_table(who if post is None else post, get), **kw)


def post_only(*who, **kw) -> Rule:
    return Rule(
        get=_table((), anon=LOGIN, others=NOT_ALLOWED), post=_post_table(who, _table(())), **kw
    )


def not_allowed(**kw) -> Rule:
    return Rule(get=_table((), anon=NOT_ALLOWED, others=NOT_ALLOWED), **kw)


def staff_only(**kw) -> Rule:
    return Rule(get=_table((ids.ADMIN,), anon=LOGIN, others=LOGIN), **kw)


def files(per_file: dict) -> Rule:
    """``per_file``: {label prefix: identities allowed to read such files}."""
    return Rule(
        files=True,
        per_variant={
            prefix: Rule(
                get={who: (OK if who in allowed else NOT_SERVED) for who in ids.ALL}, files=True
            )
            for prefix, allowed in per_file.items()
        },
    )


def skip(reason: str) -> Rule:
    return Rule(skip=reason)
