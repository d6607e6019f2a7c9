from modeltranslation.translator import TranslationOptions, register

from .models import (
    Agreement,
    CooperationArea,
    Decision,
    Indicator,
    IndicatorValue,
    Meeting,
    Party,
    Workplan,
    WorkplanItem,
)


@register(CooperationArea)
class AreaTranslation(TranslationOptions):
    fields = ("name", "description")


@register(Agreement)
class AgreementTranslation(TranslationOptions):
    fields = ("title", "signed_at", "signatories", "summary", "full_text")


@register(Meeting)
class MeetingTranslation(TranslationOptions):
    fields = ("place", "chairs", "agenda", "minutes")


@register(Decision)
class DecisionTranslation(TranslationOptions):
    fields = ("text",)


@register(Workplan)
class WorkplanTranslation(TranslationOptions):
    fields = ("title",)


@register(WorkplanItem)
class WorkplanItemTranslation(TranslationOptions):
    fields = ("text", "owner")


@register(Indicator)
class IndicatorTranslation(TranslationOptions):
    fields = ("name", "unit", "description", "source")


@register(IndicatorValue)
class IndicatorValueTranslation(TranslationOptions):
    fields = ("basis_version", "reference_period", "note")


@register(Party)
class PartyTranslation(TranslationOptions):
    fields = ("name",)


# The audit history keeps every language of the translated texts.
@register(Agreement.history.model)
class HistoricalAgreementTranslation(TranslationOptions):
    fields = ("title", "signed_at", "signatories", "summary", "full_text")


@register(WorkplanItem.history.model)
class HistoricalWorkplanItemTranslation(TranslationOptions):
    fields = ("text", "owner")
