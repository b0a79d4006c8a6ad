"""Forms of the public site: the self-referral form (visitors) and the page editor (administrators).

They parse and bound what was typed; the rules live in services.py. Build the
self-referral form inside the visitor's language: its country and language lists
are named in it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_countries import countries

from homeward.core import languages as iso639
from homeward.core.forms import ServiceErrorsMixin, StyledFormMixin
from homeward.outreach.models import HowHeard
from homeward.public import languages
from homeward.public.models import BODY_MAX, Page
from homeward.public.services import FAMILY_MAX, MESSAGE_MAX, SelfReferralInput
from homeward.triage.models import Inquiry

# ---------------------------------------------------------------- self-referral

# The choices in the visitor's words, written here so the public catalogue (public/locale) holds
# them: the models' labels are staff words, in the staff catalogue (English and Greek only).
WHERE_CHOICES = [
    (Inquiry.Where.CITY.value, _("In a city or town")),
    (Inquiry.Where.RECEPTION.value, _("In a reception facility (a camp or a centre)")),
    (Inquiry.Where.DETENTION.value, _("In a detention facility")),
]
MESSENGER_CHOICES = [
    ("", _("none")),
    (Inquiry.Messenger.WHATSAPP.value, "WhatsApp"),
    (Inquiry.Messenger.SIGNAL.value, "Signal"),
    (Inquiry.Messenger.BOTH.value, _("WhatsApp and Signal")),
]
_HOW_HEARD = {
    HowHeard.SESSION: _("At an information session"),
    HowHeard.HOTLINE: _("From the hotline"),
    HowHeard.NGO: _("From an organisation helping migrants"),
    HowHeard.FRIEND: _("From a friend or relative"),
    HowHeard.WEBSITE: _("On a website"),
    HowHeard.SOCIAL_MEDIA: _("On social media"),
    HowHeard.AUTHORITY: _("From the authorities"),
    HowHeard.OTHER: _("Another way"),
}
# A way added to HowHeard later still shows, with the staff's word until it is written here.
HOW_HEARD_CHOICES = [("", "—"), *((value, _HOW_HEARD.get(value, label)) for value, label in HowHeard.choices)]


def language_choices() -> list[tuple[str, str]]:
    """The site's languages named in themselves, then the common others named in the visitor's language."""
    ours = [(code, languages.native_name(code)) for code in languages.codes()]
    others = sorted(
        ((code, iso639.name(code)) for code in iso639.COMMON if not languages.is_public(code)), key=lambda c: c[1]
    )
    return [*ours, *others]


class SelfReferralForm(ServiceErrorsMixin, forms.Form):
    # The honeypot: hidden from people by CSS, named like something a robot fills in.
    website = forms.CharField(label=_("Website"), required=False, max_length=200)
    given_names = forms.CharField(label=_("Given names"), max_length=100)
    family_name = forms.CharField(label=_("Family name"), max_length=100, required=False)
    phone = forms.CharField(
        label=_("Phone"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    messenger = forms.ChoiceField(label=_("Messenger"), required=False, choices=MESSENGER_CHOICES)
    messenger_number = forms.CharField(
        label=_("WhatsApp or Signal number"),
        max_length=32,
        required=False,
        widget=forms.TextInput(attrs={"type": "tel"}),
    )
    email = forms.EmailField(label=_("E-mail"), max_length=254, required=False)
    language = forms.ChoiceField(label=_("Your language"))
    nationality = forms.ChoiceField(
        label=_("Nationality"),
        error_messages={"invalid_choice": _("We do not know this nationality: choose it from the list.")},
    )
    destination_country = forms.ChoiceField(
        label=_("Country you would return to"), required=False,
        help_text=_("Leave it empty if it is the country of your nationality."),
        error_messages={"invalid_choice": _("We do not know this country: choose it from the list.")},
    )  # fmt: skip
    where = forms.ChoiceField(label=_("Where are you now?"), choices=WHERE_CHOICES, widget=forms.RadioSelect)
    city = forms.CharField(label=_("City or town"), max_length=100, required=False)
    facility = forms.CharField(label=_("Name of the facility"), max_length=150, required=False)
    family_travels = forms.BooleanField(label=_("My family would travel with me"), required=False)
    family_size = forms.IntegerField(
        label=_("How many people would travel, you included?"), min_value=2, max_value=FAMILY_MAX, required=False
    )
    how_heard = forms.ChoiceField(label=_("How did you hear of us?"), choices=HOW_HEARD_CHOICES)
    message = forms.CharField(
        label=_("Message (if you wish)"), max_length=MESSAGE_MAX, required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )  # fmt: skip
    consent = forms.BooleanField(
        label=_("I agree"), error_messages={"required": _("Tick the box to agree, or we cannot contact you.")}
    )

    def __init__(self, *args: Any, page_language: str, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"language": page_language})
        super().__init__(*args, **kwargs)
        country_list = [("", "—"), *((code, name) for code, name in countries)]
        self.fields["nationality"].choices = country_list
        self.fields["destination_country"].choices = country_list
        self.fields["language"].choices = language_choices()
        self.fields["website"].widget.attrs.update({"autocomplete": "off", "tabindex": "-1"})

    def referral_input(self) -> SelfReferralInput:
        data = self.cleaned_data
        return SelfReferralInput(
            given_names=data["given_names"], family_name=data["family_name"], phone=data["phone"],
            messenger=data["messenger"], messenger_number=data["messenger_number"], email=data["email"],
            language=data["language"], nationality=data["nationality"],
            destination_country=data["destination_country"], where=data["where"], city=data["city"],
            facility=data["facility"], family_travels=data["family_travels"], family_size=data["family_size"],
            how_heard=data["how_heard"], message=data["message"], consent=data["consent"],
        )  # fmt: skip


# ---------------------------------------------------------------- editors


class PageForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    slug = forms.CharField(
        label=_("Address"), max_length=60, help_text=_("The last part of the page's web address, e.g. who-can-apply.")
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Page.Kind.choices)
    position = forms.IntegerField(label=_("Position in the menu"), min_value=0, max_value=999, initial=0)


class TranslationForm(ServiceErrorsMixin, StyledFormMixin, forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    body = forms.CharField(
        label=_("Text"), max_length=BODY_MAX, required=False, widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_("Markdown: ## a heading, **bold**, *italic*, - a list, [a link](https://…). No HTML."),
    )  # fmt: skip
