from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    """A background job whose progress a page can poll. Runs in-process or on Celery."""

    kind = models.CharField(max_length=60)
    # Dotted path of the function to run: fn(job, **params). Must be idempotent.
    handler = models.CharField(max_length=200)
    params = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED, db_index=True)
    progress = models.PositiveIntegerField(default=0)
    total = models.PositiveIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    result = models.JSONField(default=dict, blank=True)
    error = models.TextField(blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.kind} #{self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        if self.state == JobState.DONE:
            return 100
        return int(100 * self.progress / self.total) if self.total else 0

    def report(self, progress: int, total: int | None = None, message: str = "") -> None:
        """Record progress from inside the job (cheap single UPDATE)."""
        self.progress = progress
        fields = {"progress": progress}
        if total is not None:
            self.total = total
            fields["total"] = total
        if message:
            self.message = message[:500]
            fields["message"] = self.message
        Job.objects.filter(pk=self.pk).update(**fields)
