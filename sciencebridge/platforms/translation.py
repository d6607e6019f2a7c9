from modeltranslation.translator import TranslationOptions, register

from .models import Facility, Platform


@register(Platform)
class PlatformTranslation(TranslationOptions):
    fields = ("name", "areas", "description", "source_note")


@register(Facility)
class FacilityTranslation(TranslationOptions):
    fields = ("name", "description")
