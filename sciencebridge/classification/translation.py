from modeltranslation.translator import TranslationOptions, register

from .models import ClassificationScheme, DisciplineCode


@register(ClassificationScheme)
class SchemeTranslation(TranslationOptions):
    fields = ("name",)


@register(DisciplineCode)
class CodeTranslation(TranslationOptions):
    fields = ("name",)
