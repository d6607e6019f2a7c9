from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template.defaultfilters import floatformat

register = template.Library()


@register.filter
def money(value):
    """``RMB 1,200,000.00`` / ``HKD 1,310,400.00``: every amount with its currency ("—" when none)."""
    if value is None or value == "":
        return "—"
    code = str(value.currency)
    return f"{'RMB' if code == 'CNY' else code} {intcomma(floatformat(value.amount, 2))}"
