from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Region(models.TextChoices):
    HONG_KONG = "HK", _("Hong Kong")
    MAINLAND = "ML", _("Mainland")
    MACAO = "MO", _("Macao")
    OVERSEAS = "OV", _("Overseas")


class InstitutionType(models.TextChoices):
    UNIVERSITY = "university", _("University")
    RESEARCH_INSTITUTE = "research_institute", _("Research institute")
    ENTERPRISE = "enterprise", _("Enterprise")
    AGENCY = "agency", _("Funding agency")


class InstitutionCategory(models.TextChoices):
    """Finer designations that schemes use in their eligibility rules."""

    UGC_UNIVERSITY = "ugc_university", _("UGC-funded university")
    RND_CENTRE = "rnd_centre", _("Government-funded R&D centre")
    DESIGNATED_INSTITUTE = "designated_institute", _("Designated public research institute")
    OTHER_HK_INSTITUTE = "other_hk_institute", _("Other Hong Kong institution")
    MAINLAND_UNIVERSITY = "mainland_university", _("Mainland university")
    CAS_INSTITUTE = "cas_institute", _("Chinese Academy of Sciences institute")
    MAINLAND_INSTITUTE = "mainland_institute", _("Other Mainland research institute")
    COMPANY = "company", _("Company")
    AGENCY = "agency", _("Funding agency")


class Institution(models.Model):
    code = models.SlugField(max_length=40, unique=True)
    name = models.CharField(
        _("name"), max_length=255
    )  # translated: name_en / name_zh_hant / name_zh_hans
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    region = models.CharField(_("region"), max_length=2, choices=Region.choices, db_index=True)
    type = models.CharField(
        _("type"), max_length=20, choices=InstitutionType.choices, db_index=True
    )
    category = models.CharField(_("category"), max_length=30, choices=InstitutionCategory.choices)
    # For agencies: the currency they fund in (HKD for Hong Kong agencies, CNY for Mainland ones).
    currency = models.CharField(max_length=3, blank=True)
    website = models.URLField(blank=True)
    email_domains = models.TextField(
        _("e-mail domains"),
        blank=True,
        help_text=_(
            "The institution's staff e-mail domains, one per line (e.g. hku.hk). A person who confirms an "
            "address at one of them is affiliated without waiting for the research office. Write "
            "*.example.edu to accept every subdomain as well."
        ),
    )

    class Meta:
        ordering = ["region", "name"]
        verbose_name = _("institution")

    def __str__(self):
        """In English the short name people use ("HKUST", "MOST"); in Chinese the name in the page's
        script ("香港科技大學", "科学技术部"): an English abbreviation inside Chinese text reads as a code."""
        language = get_language() or ""
        if language.startswith("zh"):
            return (
                self.name or self.short_name
            )  # modeltranslation: this language, then the other script
        return self.short_name or self.name

    @property
    def is_agency(self) -> bool:
        return self.type == InstitutionType.AGENCY

    @property
    def domain_list(self) -> list[str]:
        return parse_domains(self.email_domains)

    @property
    def email_domain(self) -> str:
        """The main e-mail domain (the first listed), e.g. for demo addresses."""
        return next((d.removeprefix("*.") for d in self.domain_list), "")

    def owns_email(self, email: str) -> bool:
        """Whether ``email`` is at one of this institution's e-mail domains (exactly, or a subdomain of a
        ``*.`` entry). The address alone proves nothing: the holder must also confirm it."""
        domain = email.rpartition("@")[2].strip().lower().rstrip(".")
        if not domain or "@" not in email:
            return False
        for d in self.domain_list:
            if d.startswith("*."):
                if domain == d[2:] or domain.endswith("." + d[2:]):
                    return True
            elif domain == d:
                return True
        return False


def parse_domains(text: str) -> list[str]:
    """ "hku.hk, *.hku.hk\nconnect.hku.hk" -> ["hku.hk", "*.hku.hk", "connect.hku.hk"] (lower case, no @)."""
    out = []
    for part in (text or "").replace(",", "\n").replace(";", "\n").split():
        d = part.strip().lower().lstrip("@").rstrip(".")
        if d and d not in out:
            out.append(d)
    return out


class AgencyManager(models.Manager):
    def get_queryset(self):
        return super().get_queryset().filter(type=InstitutionType.AGENCY)


class Agency(Institution):
    objects = AgencyManager()

    class Meta:
        proxy = True
        verbose_name = _("funding agency")
        verbose_name_plural = _("funding agencies")
