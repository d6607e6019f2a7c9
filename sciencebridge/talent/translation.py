from modeltranslation.translator import TranslationOptions, register

from .models import Posting, Programme, ProgrammeCall


@register(Programme)
class ProgrammeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(ProgrammeCall)
class ProgrammeCallTranslation(TranslationOptions):
    fields = ("title",)


@register(Posting)
class PostingTranslation(TranslationOptions):
    # Postings are read on both sides: English, Traditional and Simplified Chinese.
    fields = ("title", "description")
