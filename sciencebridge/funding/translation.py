from modeltranslation.translator import TranslationOptions, register

from .models import AssessmentCriterion, Call, ProjectType, RequiredAttachment, Scheme, ThematicArea


@register(Scheme)
class SchemeTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Call)
class CallTranslation(TranslationOptions):
    fields = ("title",)


@register(ProjectType)
class ProjectTypeTranslation(TranslationOptions):
    fields = ("name",)


@register(ThematicArea)
class AreaTranslation(TranslationOptions):
    fields = ("name",)


@register(AssessmentCriterion)
class CriterionTranslation(TranslationOptions):
    fields = ("name",)


@register(RequiredAttachment)
class AttachmentTranslation(TranslationOptions):
    fields = ("name",)
