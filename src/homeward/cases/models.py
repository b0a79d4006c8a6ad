from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_countries.fields import CountryField

from homeward.accounts.models import Mission
from homeward.core.audit import register
from homeward.people.models import Person


class CaseStatus(models.TextChoices):
    """Where a case is on its way home; the moves between them are in ``cases/workflow.py``."""

    INQUIRY = "inquiry", _("inquiry")
    REGISTERED = "registered", _("registered")
    ELIGIBILITY_ASSESSED = "eligibility_assessed", _("eligibility assessed")
    IN_COUNSELLING = "in_counselling", _("in counselling")
    RETURN_DECLARED = "return_declared", _("return declared")
    TRAVEL_PREPARATION = "travel_preparation", _("travel preparation")
    TRAVEL_BOOKED = "travel_booked", _("travel booked")
    DEPARTED = "departed", _("departed")
    ARRIVED = "arrived", _("arrived")
    REINTEGRATION_PLANNING = "reintegration_planning", _("reintegration planning")
    ASSISTANCE_IN_PROGRESS = "assistance_in_progress", _("assistance in progress")
    MONITORING = "monitoring", _("monitoring")
    CLOSED = "closed", _("closed")
    # The ways out.
    WITHDRAWN = "withdrawn", _("withdrawn")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    NO_SHOW = "no_show", _("did not depart")
    LOST_CONTACT = "lost_contact", _("lost contact")
    CANCELLED = "cancelled", _("cancelled")


class ReferralSource(models.TextChoices):
    SELF = "self", _("self-referral")
    NGO = "ngo", _("NGO")
    ASYLUM_SERVICE = "asylum_service", _("asylum service")
    DETENTION_CENTRE = "detention_centre", _("detention centre")
    HOTLINE = "hotline", _("hotline")
    OUTREACH = "outreach", _("information session")
    EMBASSY = "embassy", _("embassy or consulate")
    AUTHORITY = "authority", _("national authority")
    OTHER = "other", _("other")


class Relationship(models.TextChoices):
    """A member's relationship to the principal applicant."""

    PRINCIPAL = "principal", _("principal applicant")
    SPOUSE = "spouse", _("spouse or partner")
    CHILD = "child", _("child")
    PARENT = "parent", _("parent")
    SIBLING = "sibling", _("sibling")
    GUARDIAN = "guardian", _("legal guardian")
    OTHER = "other", _("other relative")


class LegalStatus(models.TextChoices):
    """The migrant's situation in the host country (the codes of programmes/schema.py)."""

    PROTECTION_REJECTED = "protection_rejected", _("request for protection irrevocably rejected")
    ASYLUM_WITHDRAWN = "asylum_withdrawn", _("withdrew from the asylum procedure or renounced protection")
    RETURN_DECISION = "return_decision", _("must leave by an administrative decision")
    IRREGULAR_STAY = "irregular_stay", _("irregular stay")
    ASYLUM_SEEKER = "asylum_seeker", _("asylum seeker")
    PROTECTION_HOLDER = "protection_holder", _("beneficiary of protection")
    REGULAR_STAY = "regular_stay", _("regular stay")


class Exclusion(models.TextChoices):
    CRIMINAL_OFFENCE = "criminal_offence", _("criminal offence")
    FRAUD = "fraud", _("fraud in an earlier application")
    SECURITY_CONCERN = "security_concern", _("security concern")


class CaseType(models.TextChoices):
    INDIVIDUAL = "individual", _("individual")
    FAMILY = "family", _("family")


class Case(models.Model):
    """One application for assisted return: a principal applicant and, for a family, its members."""

    reference = models.CharField(_("reference"), max_length=24, unique=True, editable=False)
    host_mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="hosted_cases", verbose_name=_("host mission")
    )
    # The origin mission that receives the case for reintegration (referral comes later).
    referred_to_mission = models.ForeignKey(
        Mission,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="referred_cases",
        verbose_name=_("referred to"),
    )
    counsellor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="assigned_cases",
        verbose_name=_("counsellor"),
    )
    status = models.CharField(_("status"), max_length=24, choices=CaseStatus.choices, default=CaseStatus.INQUIRY)
    # Optimistic concurrency: every write through a form or the API names the version it read.
    version = models.PositiveIntegerField(_("version"), default=1)
    # Travels as an ordinary passenger: the origin country's authorities must not be told.
    confidential_return = models.BooleanField(
        _("confidential return"),
        default=False,
        help_text=_(
            "Hide this case from every hand-over document that reaches the authorities of the country of origin."
        ),
    )
    destination_country = CountryField(_("destination country"))
    destination_place = models.CharField(_("destination region or city"), max_length=150, blank=True)
    referral_source = models.CharField(_("referral source"), max_length=20, choices=ReferralSource.choices)
    inquiry_date = models.DateField(_("first contact"))
    registered_on = models.DateField(_("registered on"), null=True, blank=True)
    notes = models.TextField(_("notes"), blank=True)
    # What programme rules look at (programmes/rules.py CaseFacts).
    programme = models.ForeignKey(
        "programmes.Programme", on_delete=models.PROTECT, null=True, blank=True, related_name="cases",
        verbose_name=_("programme"),
    )  # fmt: skip
    legal_status = models.CharField(_("legal status"), max_length=24, choices=LegalStatus.choices, blank=True)
    exclusions = models.JSONField(_("exclusions"), default=list, blank=True)
    place = models.CharField(
        _("place"), max_length=40, blank=True, help_text=_("Where a programme pays differently by place, e.g. islands.")
    )
    authority_approval_on = models.DateField(_("approved by the authority on"), null=True, blank=True)
    authority_approval_reference = models.CharField(_("approval reference"), max_length=80, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    persons = models.ManyToManyField(Person, through="CaseMember", related_name="cases")

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [models.Index(fields=["host_mission", "status"]), models.Index(fields=["referred_to_mission"])]

    def __str__(self) -> str:
        return self.reference


class CaseMember(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="members", verbose_name=_("case"))
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="memberships", verbose_name=_("person"))
    relationship = models.CharField(_("relationship"), max_length=12, choices=Relationship.choices)
    precarious = models.BooleanField(
        _("precarious financial situation"),
        default=False,
        help_text=_("Qualifies for per-diem benefits where a programme pays them."),
    )
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "added_at", "pk"]
        verbose_name = _("case member")
        verbose_name_plural = _("case members")
        constraints = [
            models.UniqueConstraint(fields=["case", "person"], name="person_once_per_case"),
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(relationship="principal"), name="one_principal_per_case"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} ({self.get_relationship_display()})"

    @property
    def is_principal(self) -> bool:
        return self.relationship == Relationship.PRINCIPAL

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id, "person_id": self.person_id}


class CaseSequence(models.Model):
    """The last case number used by a mission in a year (references never repeat)."""

    mission = models.ForeignKey(Mission, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["mission", "year"], name="one_sequence_per_mission_year")]

    def __str__(self) -> str:
        return f"{self.mission_id}/{self.year}: {self.last_number}"


class Assessment(models.Model):
    """An eligibility decision, kept with the rules it was made under: it never changes silently.

    A new assessment supersedes the last; a supervisor's override is recorded on it.
    """

    class Outcome(models.TextChoices):
        ELIGIBLE = "eligible", _("eligible")
        NOT_ELIGIBLE = "not_eligible", _("not eligible")
        NEEDS_REVIEW = "needs_review", _("needs review")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="assessments", verbose_name=_("case"))
    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="+")
    rule_version = models.ForeignKey("programmes.RuleVersion", on_delete=models.SET_NULL, null=True, related_name="+")
    rules = models.JSONField(_("rules applied"))
    decision_date = models.DateField(_("decision date"))
    outcome = models.CharField(_("outcome"), max_length=14, choices=Outcome.choices)
    reintegration = models.BooleanField(_("reintegration assistance"))
    result = models.JSONField(_("result"))
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(auto_now_add=True)
    override_outcome = models.CharField(_("overridden to"), max_length=14, choices=Outcome.choices, blank=True)
    override_reason = models.TextField(_("reason for the override"), blank=True)
    overridden_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-assessed_at", "-pk"]
        verbose_name = _("eligibility assessment")
        verbose_name_plural = _("eligibility assessments")

    def __str__(self) -> str:
        return f"{self.case.reference}: {self.get_final_outcome_display()}"

    @property
    def rules_changed(self) -> bool:
        """The rule version was edited after this decision: a new assessment would apply the edit."""
        return self.rule_version is not None and self.rule_version.rules != self.rules

    @property
    def final_outcome(self) -> str:
        return self.override_outcome or self.outcome

    def get_final_outcome_display(self) -> str:
        return str(dict(self.Outcome.choices)[self.final_outcome])

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class Transition(models.Model):
    """One move of a case along its workflow: who, when, from where to where, and why."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="transitions", verbose_name=_("case"))
    from_status = models.CharField(_("from"), max_length=24, choices=CaseStatus.choices)
    to_status = models.CharField(_("to"), max_length=24, choices=CaseStatus.choices)
    note = models.TextField(_("note"), blank=True)
    # What the step needed besides the note, e.g. who confirmed an arrival.
    details = models.JSONField(_("details"), default=dict, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("by"))
    at = models.DateTimeField(_("at"), auto_now_add=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")
        # The second finds the moves to a state in a period (departures, for reports).
        indexes = [models.Index(fields=["case", "at"]), models.Index(fields=["to_status", "at"])]

    def __str__(self) -> str:
        return f"{self.case_id}: {self.from_status} → {self.to_status}"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


class Referral(models.Model):
    """A case handed to the mission in the country of origin, with only what that mission needs.

    The origin mission sees the package, not the case, until it accepts; from then on
    it works the case (``Case.referred_to_mission``) and the host mission keeps reading it.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting an answer")
        ACCEPTED = "accepted", _("accepted")
        RETURNED = "returned", _("returned")

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="referrals", verbose_name=_("case"))
    to_mission = models.ForeignKey(
        Mission, on_delete=models.PROTECT, related_name="referrals_received", verbose_name=_("referred to")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    # What travels: contact, household, arrival, vulnerabilities (with consent); a snapshot at sending.
    package = models.JSONField(_("what is shared"))
    sent_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    sent_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    answer_due = models.DateTimeField(_("answer due"))
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    reason = models.TextField(_("reason for returning it"), blank=True)
    escalated_at = models.DateTimeField(_("escalated at"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [models.Index(fields=["to_mission", "status"])]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=models.Q(status="pending"), name="one_pending_referral_per_case"
            )
        ]

    def __str__(self) -> str:
        return f"{self.case_id} → {self.to_mission_id} ({self.status})"

    def get_additional_data(self) -> dict[str, object]:
        return {"case_id": self.case_id}


register(Case, exclude=("id", "created_at", "updated_at", "version"))
register(Transition, exclude=("id", "at"))
register(Referral, exclude=("id", "sent_at", "package"))
register(Assessment, exclude=("id", "assessed_at", "rules", "result"))
register(CaseMember, exclude=("id", "added_at"))
