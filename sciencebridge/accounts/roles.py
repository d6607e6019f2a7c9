from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """Roles are Django groups named by these codes; a person may hold several."""

    APPLICANT = "applicant", _("Applicant")
    RESEARCH_OFFICE = "research_office", _("Institution research office")
    EXPERT = "expert", _("Expert")
    PROGRAMME_OFFICER = "programme_officer", _("Programme officer")
    PANEL_CHAIR = "panel_chair", _("Panel chair")
    SECRETARIAT = "secretariat", _("Committee secretariat")
    ADMINISTRATOR = "administrator", _("Administrator")
    TTO = "tto", _("Technology-transfer office")
    ENTERPRISE = "enterprise", _("Registered enterprise representative")
