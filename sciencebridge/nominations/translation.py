from modeltranslation.translator import TranslationOptions, register

from .models import NominationExercise


@register(NominationExercise)
class NominationExerciseTranslation(TranslationOptions):
    fields = ("name",)
