from modeltranslation.translator import TranslationOptions, register

from .models import TechnologyNeed, TechnologyOffer


@register(TechnologyOffer)
class OfferTranslation(TranslationOptions):
    # Public offer pages are shown in English, Traditional and Simplified Chinese.
    fields = ("title", "summary")


@register(TechnologyNeed)
class NeedTranslation(TranslationOptions):
    # Needs are read by the offering side, in Hong Kong or on the Mainland.
    fields = ("title", "description")
