from modeltranslation.translator import TranslationOptions, register

from .models import GBALocation, StandardAnnex


@register(GBALocation)
class GBALocationTranslation(TranslationOptions):
    fields = ("name", "filing_authority")


@register(StandardAnnex)
class StandardAnnexTranslation(TranslationOptions):
    fields = ("title", "text")
