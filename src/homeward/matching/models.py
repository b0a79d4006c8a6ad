"""What matching keeps: each person's profile and blocking keys, the decisions supervisors take
on pairs (merged, not the same person), the pairs a batch run found, and re-estimated models."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from homeward.core.audit import register
from homeward.people.models import Person


class MatchRecord(models.Model):
    """A person's profile as matching compares it (``profile.Profile.as_row``), written whenever
    the person is, so scoring a candidate reads one row and reduces no name."""

    person = models.OneToOneField(Person, on_delete=models.CASCADE, primary_key=True, related_name="match_record")
    names = models.JSONField()
    sex = models.CharField(max_length=1, blank=True)
    birth_date = models.DateField(null=True, blank=True)
    birth_precision = models.CharField(max_length=10, blank=True)
    nationality = models.CharField(max_length=2, blank=True)
    place_of_birth = models.CharField(max_length=150, blank=True)
    phone = models.CharField(max_length=20, blank=True)
    documents = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"match record of person {self.person_id}"


class MatchKey(models.Model):
    """One blocking key of a person (``keys.py``); name keys carry the birth year they are searched within."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=48)
    birth_year = models.SmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["key", "birth_year"], include=["person"], name="matching_key_year")]

    def __str__(self) -> str:
        return f"{self.key} ({self.birth_year or '?'}): person {self.person_id}"


class NotSamePerson(models.Model):
    """A supervisor's word that two records are two people: the pair is never proposed again."""

    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    note = models.CharField(_("note"), max_length=300, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["first", "second"], name="not_same_person_once"),
            models.CheckConstraint(condition=models.Q(first__lt=models.F("second")), name="not_same_person_ordered"),
        ]

    def __str__(self) -> str:
        return f"persons {self.first_id} and {self.second_id} are two people"

    def get_additional_data(self) -> dict[str, object]:
        return {"person_id": self.first_id, "other_person_id": self.second_id}


class PersonMerge(models.Model):
    """Two records of one person made one. The merged record stays (hidden, ``Person.merged_into``)
    with its own audit trail; ``moved`` lists every row moved to the survivor and ``filled`` the
    survivor's blanks filled from it, so the merge can be undone exactly."""

    survivor = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_kept")
    merged = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="merges_into")
    reason = models.CharField(_("reason"), max_length=300)
    moved = models.JSONField(default=dict)  # {"app_label.model.field": [pk, …]}
    filled = models.JSONField(default=dict)  # {field: the survivor's value before}
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    merged_at = models.DateTimeField(auto_now_add=True)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    undone_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-merged_at", "-pk"]

    def __str__(self) -> str:
        return f"person {self.merged_id} merged into {self.survivor_id}"

    def get_additional_data(self) -> dict[str, object]:
        return {"person_id": self.survivor_id, "other_person_id": self.merged_id}


class DuplicatePair(models.Model):
    """A likely duplicate a batch run (a ``jobs.Job``) found, for review."""

    job = models.ForeignKey("jobs.Job", on_delete=models.CASCADE, related_name="duplicate_pairs")
    first = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    second = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    probability = models.FloatField()
    levels = models.JSONField()  # compare.Vector

    class Meta:
        ordering = ["-probability", "pk"]
        indexes = [models.Index(fields=["job", "probability"])]

    def __str__(self) -> str:
        return f"persons {self.first_id} and {self.second_id}: {self.probability:.0%}"


class TrainedModel(models.Model):
    """Parameters re-estimated on an installation's own people (``homeward matching train``);
    the latest is used, the shipped ones until there is one."""

    parameters = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"matching model of {self.created_at:%Y-%m-%d %H:%M}"


register(NotSamePerson, exclude=("id", "decided_at"))
register(PersonMerge, exclude=("id", "merged_at", "moved"))
