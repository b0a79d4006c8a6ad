"""Page forms: parse what a person typed into service inputs; rules live in the services."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.cases.models import Case, CaseStatus, Exclusion, LegalStatus, ReferralSource, Relationship
from homeward.cases.services import CaseInput, MemberInput
from homeward.core import languages
from homeward.core.errors import ServiceError
from homeward.core.forms import DateInput, StyledFormMixin
from homeward.people.inputs import DocumentInput, PersonInput, birth_date_from_parts
from homeward.people.models import IdentityDocument, Person, Sex, VulnerabilityType


def _country_choices(blank: str = "—") -> list[tuple[str, str]]:
    return [("", blank), *((code, name) for code, name in countries)]


class ServiceErrorsMixin(StyledFormMixin):
    """Show a ServiceError's messages next to the fields they name."""

    def add_service_error(self, error: ServiceError, prefix: str = "") -> None:
        form: forms.Form = self  # type: ignore[assignment]
        for key, messages in error.fields.items():
            if not key.startswith(prefix) or key == "members":
                continue  # another form's error, or the household's (shown as a message)
            name = key.removeprefix(prefix)
            if not prefix and key.startswith("members."):
                continue
            name = {"birth_date": "birth_year"}.get(name, name)
            if name.startswith("documents.0."):
                name = "document_" + name.removeprefix("documents.0.").replace("issuing_country", "country")
            for message in messages:
                form.add_error(name if name in form.fields else None, message)


class CaseForm(ServiceErrorsMixin, forms.Form):
    host_mission = forms.ModelChoiceField(queryset=None, label=_("Host mission"), empty_label=None)
    counsellor = forms.ModelChoiceField(queryset=None, label=_("Counsellor"), required=False)
    destination_country = forms.ChoiceField(label=_("Destination country"))
    destination_place = forms.CharField(label=_("Destination region or city"), required=False, max_length=150)
    referral_source = forms.ChoiceField(label=_("Referral source"), choices=[("", "—"), *ReferralSource.choices])
    inquiry_date = forms.DateField(label=_("First contact"), widget=DateInput(), initial=timezone.localdate)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(CaseStatus.INQUIRY, CaseStatus.INQUIRY.label), (CaseStatus.REGISTERED, CaseStatus.REGISTERED.label)],
        initial=CaseStatus.REGISTERED,
    )
    notes = forms.CharField(label=_("Notes"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    legal_status = forms.ChoiceField(label=_("Legal status"), required=False, choices=[("", "—"), *LegalStatus.choices])
    exclusions = forms.MultipleChoiceField(
        label=_("Exclusions"), required=False, choices=Exclusion.choices, widget=forms.CheckboxSelectMultiple
    )
    place = forms.CharField(
        label=_("Place"), required=False, max_length=40, help_text=Case._meta.get_field("place").help_text
    )
    authority_approval_on = forms.DateField(label=_("Approved by the authority on"), required=False, widget=DateInput())
    authority_approval_reference = forms.CharField(label=_("Approval reference"), required=False, max_length=80)
    confidential_return = forms.BooleanField(
        label=_("Confidential return"), required=False, help_text=Case._meta.get_field("confidential_return").help_text
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, missions: Any, counsellors: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["host_mission"].queryset = missions
        self.fields["counsellor"].queryset = counsellors
        self.fields["destination_country"].choices = _country_choices()
        if editing:
            del self.fields["host_mission"]
            del self.fields["status"]

    def to_input(self) -> CaseInput:
        d = self.cleaned_data
        return CaseInput(
            destination_country=d["destination_country"],
            destination_place=d["destination_place"],
            referral_source=d["referral_source"],
            inquiry_date=d["inquiry_date"],
            counsellor=d["counsellor"],
            notes=d["notes"],
            legal_status=d["legal_status"],
            exclusions=d["exclusions"],
            place=d["place"],
            authority_approval_on=d["authority_approval_on"],
            authority_approval_reference=d["authority_approval_reference"],
            confidential_return=d["confidential_return"],
        )


class PersonForm(ServiceErrorsMixin, forms.Form):
    """One member: who they are, their vulnerabilities and (on registration) one document."""

    relationship = forms.ChoiceField(label=_("Relationship to the principal applicant"), choices=Relationship.choices)
    given_names = forms.CharField(label=_("Given names"), required=False, max_length=150)
    family_name = forms.CharField(label=_("Family name"), required=False, max_length=150)
    given_names_original = forms.CharField(label=_("Given names (original script)"), required=False, max_length=150)
    family_name_original = forms.CharField(label=_("Family name (original script)"), required=False, max_length=150)
    sex = forms.ChoiceField(label=_("Sex"), choices=Sex.choices, initial=Sex.UNKNOWN)
    birth_year = forms.IntegerField(label=_("Year of birth"), required=False, min_value=1, max_value=9999)
    birth_month = forms.TypedChoiceField(
        label=_("Month"), required=False, coerce=int, empty_value=None,
        choices=[("", "—"), *((str(m), str(m)) for m in range(1, 13))],
    )  # fmt: skip
    birth_day = forms.IntegerField(label=_("Day"), required=False, min_value=1, max_value=31)
    birth_estimated = forms.BooleanField(label=_("Year estimated"), required=False)
    place_of_birth = forms.CharField(label=_("Place of birth"), required=False, max_length=150)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    country_of_origin = forms.ChoiceField(label=_("Country of origin"), required=False)
    languages = forms.MultipleChoiceField(
        label=_("Languages"), required=False, widget=forms.SelectMultiple(attrs={"size": 4})
    )
    phone = forms.CharField(label=_("Phone"), required=False, max_length=32)
    previous_assistance_on = forms.DateField(label=_("Earlier assisted return on"), required=False, widget=DateInput())
    precarious = forms.BooleanField(label=_("Precarious financial situation"), required=False)
    vulnerabilities = forms.MultipleChoiceField(
        label=_("Vulnerabilities"), required=False, widget=forms.CheckboxSelectMultiple
    )
    document_kind = forms.ChoiceField(label=_("Document"), required=False)
    document_number = forms.CharField(label=_("Document number"), required=False, max_length=40)
    document_country = forms.ChoiceField(label=_("Issuing country"), required=False)
    document_expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())

    def __init__(
        self, *args: Any, principal: bool = False, with_document: bool = True, sensitivities: Any = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.principal = principal
        if principal:
            self.fields["relationship"].choices = [(Relationship.PRINCIPAL, Relationship.PRINCIPAL.label)]
            self.fields["relationship"].initial = Relationship.PRINCIPAL
        else:
            self.fields["relationship"].choices = [c for c in Relationship.choices if c[0] != Relationship.PRINCIPAL]
        countries_list = _country_choices()
        for name in ("nationality", "country_of_origin", "document_country"):
            self.fields[name].choices = countries_list
        self.fields["languages"].choices = languages.choices()
        types = VulnerabilityType.objects.filter(derived=False)
        if sensitivities is not None:
            types = types.filter(sensitivity__in=sensitivities)
        self.fields["vulnerabilities"].choices = [(t.code, str(t)) for t in types]
        self.fields["document_kind"].choices = [("", "—"), *IdentityDocument.Kind.choices]
        if not with_document:
            for name in ("document_kind", "document_number", "document_country", "document_expires_on"):
                del self.fields[name]

    @classmethod
    def initial_for(cls, person: Person, relationship: str, precarious: bool = False) -> dict[str, Any]:
        dob = person.date_of_birth
        return {
            "relationship": relationship,
            **{f: getattr(person, f) for f in ("given_names", "family_name", "given_names_original", "family_name_original", "sex", "place_of_birth", "phone", "languages")},
            "nationality": person.nationality.code,
            "country_of_origin": person.country_of_origin.code,
            **{f"birth_{part}": value for part, value in (dob.parts() if dob else {}).items()},
            "vulnerabilities": [v.type.code for v in person.vulnerabilities.all()],
            "previous_assistance_on": person.previous_assistance_on,
            "precarious": precarious,
        }  # fmt: skip

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        try:
            data["birth_date"] = birth_date_from_parts(
                data.get("birth_year"),
                data.get("birth_month"),
                data.get("birth_day"),
                bool(data.get("birth_estimated")),
            )
        except ValidationError as exc:
            self.add_error("birth_year", exc.message_dict["birth_date"])
        if "document_kind" in self.fields:
            parts = [data.get(n) for n in ("document_kind", "document_number", "document_country")]
            if any(parts) and not all(parts):
                self.add_error("document_number", _("A document needs its type, number and issuing country."))
        return data

    def person_input(self) -> PersonInput:
        d = self.cleaned_data
        return PersonInput(
            given_names=d["given_names"],
            family_name=d["family_name"],
            given_names_original=d["given_names_original"],
            family_name_original=d["family_name_original"],
            sex=d["sex"],
            birth_date=d.get("birth_date"),
            place_of_birth=d["place_of_birth"],
            nationality=d["nationality"],
            country_of_origin=d["country_of_origin"],
            languages=d["languages"],
            phone=d["phone"],
            vulnerabilities=d["vulnerabilities"],
            previous_assistance_on=d["previous_assistance_on"],
        )

    def to_input(self) -> MemberInput:
        d = self.cleaned_data
        documents = []
        if d.get("document_kind"):
            documents.append(
                DocumentInput(
                    kind=d["document_kind"],
                    number=d["document_number"],
                    issuing_country=d["document_country"],
                    expires_on=d["document_expires_on"],
                )
            )
        return MemberInput(d["relationship"], self.person_input(), documents, d["precarious"])


class DocumentForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("Type"), choices=IdentityDocument.Kind.choices)
    number = forms.CharField(label=_("Number"), max_length=40)
    issuing_country = forms.ChoiceField(label=_("Issuing country"))
    issued_on = forms.DateField(label=_("Issued on"), required=False, widget=DateInput())
    expires_on = forms.DateField(label=_("Expires on"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issuing_country"].choices = _country_choices()

    def to_input(self) -> DocumentInput:
        return DocumentInput(**self.cleaned_data)


class CaseSearchForm(StyledFormMixin, forms.Form):
    q = forms.CharField(label=_("Search"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False, choices=[("", _("any status")), *CaseStatus.choices])
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    case_type = forms.ChoiceField(
        label=_("Type"),
        required=False,
        choices=[("", _("any type")), ("individual", _("individual")), ("family", _("family"))],
    )
    mine = forms.BooleanField(label=_("My cases"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["nationality"].choices = _country_choices(str(_("any nationality")))
