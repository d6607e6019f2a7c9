"""``{% load table_keys %}``: the keys under which a rendered table of the projects pages is kept.

The officer's desk shows four worklists of up to 20 rows and the officer's dashboard three of five;
rendering a row (two URLs, a truncated title, "overdue by ...", a state badge, an amount) took
~0.25 ms, half of the desk's time on the scale data (issue 16). A table is kept in the
``fragments`` cache under a key holding every value its rows show, in the page's language: a table
whose key is unchanged renders the same, so a kept table is never out of date and needs no stamp
(as the officer's proposal list keeps its rows, ``funding.officer_list.row_key``). The same for the
rows of a page of the project list (0.27 ms each, 13 of the officer's 37 ms)."""

from django import template
from django.utils.translation import get_language

register = template.Library()


def _project(row) -> tuple:
    side = row.project_side
    return (side.side, side.project.reference, side.project.title)


@register.filter
def reports_key(reports) -> str:
    """Every value a row of ``projects/_overdue_reports.html`` shows."""
    return repr(
        (
            get_language(),
            [(r.pk, r.kind, r.number, r.state, r.due_date, *_project(r)) for r in reports],
        )
    )


@register.filter
def payments_key(tranches) -> str:
    """Every value a row of ``projects/_overdue_payments.html`` shows."""
    return repr(
        (
            get_language(),
            [
                (t.pk, t.number, t.due_date, t.outstanding, t.amount.currency.code, *_project(t))
                for t in tranches
            ],
        )
    )


@register.filter
def project_rows_key(projects) -> str:
    """Every value a row of ``projects/project_list.html`` shows; each side's institution and lead
    as the page shows them (a name in the page's language, ``Institution.__str__``)."""
    return repr(
        (
            get_language(),
            [
                (
                    p.pk,
                    p.reference,
                    p.title,
                    p.start_date,
                    p.end_date,
                    p.state,
                    [
                        (s.institution_id, str(s.institution or ""), s.lead_id, str(s.lead or ""))
                        for s in p.sides.all()
                    ],
                )
                for p in projects
            ],
        )
    )
