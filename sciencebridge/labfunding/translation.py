from modeltranslation.translator import TranslationOptions, register

from .models import Exercise, ExerciseOutcome, LabProgramme


@register(LabProgramme)
class LabProgrammeTranslation(TranslationOptions):
    fields = ("name",)


@register(Exercise)
class ExerciseTranslation(TranslationOptions):
    fields = ("name", "note")


@register(ExerciseOutcome)
class ExerciseOutcomeTranslation(TranslationOptions):
    fields = ("note",)
