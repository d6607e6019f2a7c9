from modeltranslation.translator import TranslationOptions, register

from .models import Institution


@register(Institution)
class InstitutionTranslation(TranslationOptions):
    fields = ("name",)
