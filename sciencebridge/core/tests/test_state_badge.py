"""``{% state_badge obj %}``: a workflow state as a badge, its label translated and escaped."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation


def _render(obj) -> str:
    return Template("{% load state_badge %}{% state_badge obj %}").render(Context({"obj": obj}))


def test_the_state_and_its_label():
    obj = SimpleNamespace(state="eligible", get_state_display=lambda: "Eligible")
    assert _render(obj) == '<span class="state state-eligible">Eligible</span>'


def test_the_label_and_state_are_escaped():
    obj = SimpleNamespace(state='x"y', get_state_display=lambda: "<b>")
    assert _render(obj) == '<span class="state state-x&quot;y">&lt;b&gt;</span>'


def test_a_model_state_in_the_active_language():
    from sciencebridge.funding.models import ProposalHalf

    with translation.override("zh-hans"):
        html = _render(ProposalHalf(state="submitted"))
    label = html.split(">")[1].split("<")[0]
    assert html.startswith('<span class="state state-submitted">')
    assert label and label != "Submitted" and not label.isascii()
