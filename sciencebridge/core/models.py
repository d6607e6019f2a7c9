from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class StateTransition(models.Model):
    """One recorded workflow step of any stateful object: who moved it, when, from where to where, why."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    subject = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(max_length=40, blank=True)
    to_state = models.CharField(max_length=40)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    reason = models.TextField(blank=True)
    # A reason the platform wrote (not a person) is kept as its message id and parameters, so each reader
    # sees it in their own language; ``reason`` then holds the English wording for audits and search.
    reason_msgid = models.TextField(blank=True, editable=False)
    reason_params = models.JSONField(default=dict, blank=True, editable=False)
    # Whether applicants may read this step's reason (officers' internal notes stay internal).
    visible_to_applicant = models.BooleanField(default=True)

    class Meta:
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["content_type", "object_id", "at"]),
            # the latest step of one kind of object, one index read (funding.officer_list's stamp)
            models.Index(fields=["content_type", "id"], name="transition_type_id_idx"),
        ]
        verbose_name = _("state transition")

    def __str__(self):
        return f"{self.from_state or '∅'} → {self.to_state}"


class TableStamp(models.Model):
    """On SQLite, each tracked table's change counter, kept by triggers (``core.table_stamps``; on
    PostgreSQL a sequence per table holds it and this table stays empty)."""

    table_name = models.CharField(max_length=63, primary_key=True)
    version = models.BigIntegerField(default=0)

    class Meta:
        db_table = "core_tablestamp"
