from modeltranslation.translator import TranslationOptions, register

from .models import Programme, ProgrammeCall


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ProgrammeCall)
class ProgrammeCallTranslation(TranslationOptions):
    fields = ("title",)
