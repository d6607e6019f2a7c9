"""``{% load moneyfmt %}`` then ``{{ price|money }}`` (a Money) or ``{{ amount|money:currency }}``."""

from django import template

from sciencebridge.core.money import format_money

register = template.Library()


@register.filter
def money(value, currency=None):
    return format_money(value, currency)
