"""``{% load state_badge %}`` then ``{% state_badge half %}``: an object's workflow state as a badge.

A tag rather than an included template: lists show two badges a row, and an ``{% include %}`` costs a
context push and a nested render each (a quarter of the officer list's rendering on 50 rows)."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.simple_tag
def state_badge(obj) -> str:
    """``<span class="state state-<state>">label</span>`` for anything with a ``state`` choice field."""
    return format_html('<span class="state state-{}">{}</span>', obj.state, obj.get_state_display())
