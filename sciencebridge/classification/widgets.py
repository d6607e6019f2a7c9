from django import forms
from django.utils.translation import gettext_lazy as _


class DisciplinePicker(forms.SelectMultiple):
    """The discipline-code select, turned into a search-as-you-type picker (tom-select) when JS runs.

    The options keep their labels (code and name in the page's language), so the picker searches both;
    without JS the plain multiple select works as before. Render ``{{ form.media.css }}`` in the head and
    ``{{ form.media.js }}`` at the end of the page.
    """

    def __init__(self, attrs=None):
        base = {
            "size": 8,
            "data-picker": "discipline",
            "data-placeholder": _("Type a code or part of a discipline name"),
            "data-no-results": _("No discipline matches."),
            "data-remove-label": _("Remove this discipline"),
        }
        super().__init__({**base, **(attrs or {})})

    class Media:
        css = {"all": ["vendor/tom-select/tom-select.default.min.css"]}
        js = ["vendor/tom-select/tom-select.complete.min.js", "js/pickers.js"]
