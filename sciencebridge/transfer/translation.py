from modeltranslation.translator import TranslationOptions, register

from .models import TechnologyOffer


@register(TechnologyOffer)
class OfferTranslation(TranslationOptions):
    # Public offer pages are shown in English, Traditional and Simplified Chinese.
    fields = ("title", "summary")
