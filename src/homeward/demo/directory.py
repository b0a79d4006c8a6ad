"""Demo offices and partners of the host missions: opening hours, embassies, authorities, NGOs, facilities.

Recorded through the services, before the demo cases, so travel documents are asked of embassies
in the directory. Addresses and numbers are made up.
"""

from __future__ import annotations

import datetime as dt

from homeward.accounts.models import Membership, Mission, User
from homeward.accounts.roles import Role
from homeward.appointments import services as offices
from homeward.partners import services as partners
from homeward.partners.models import Partner

# mission: (office name, address, time zone, languages of service, opening periods Monday to Friday)
OFFICES = {
    "GR": ("Athens office", "Dodekanisou 11, 174 56 Alimos", "Europe/Athens", ["el", "en", "ar", "fa", "ur", "fr"],
           [(dt.time(8, 30), dt.time(16, 30))]),
    "RO": ("Bucharest office", "Str. Dimitrie Racoviță 1, Sector 2", "Europe/Bucharest", ["ro", "en", "ar", "fr"],
           [(dt.time(9, 0), dt.time(13, 0)), (dt.time(14, 0), dt.time(17, 0))]),
    "SK": ("Bratislava office", "Grösslingová 4, 811 09 Bratislava", "Europe/Bratislava", ["sk", "en", "ar"],
           [(dt.time(9, 0), dt.time(17, 0))]),
    "HU": ("Budapest office", "Revay köz 2, 1065 Budapest", "Europe/Budapest", ["hu", "en", "fa"],
           [(dt.time(9, 0), dt.time(16, 0))]),
}  # fmt: skip
CAPITALS = {"GR": "Athens", "RO": "Bucharest", "SK": "Bratislava", "HU": "Budapest"}
ORIGINS = {"PK": "Pakistan", "AF": "Afghanistan", "IQ": "Iraq", "GE": "Georgia", "NG": "Nigeria",
           "BD": "Bangladesh", "MA": "Morocco"}  # fmt: skip
OTHERS = {
    "GR": [
        (Partner.Kind.AUTHORITY, "Ministry of Migration and Asylum", "GR", "Approves returns under national programmes."),
        (Partner.Kind.AUTHORITY, "Hellenic Police, Aliens Directorate", "GR", "Detention and exit formalities."),
        (Partner.Kind.NGO, "Jesuit Refugee Service Greece", "GR", "Refers migrants and accompanies vulnerable ones."),
        (Partner.Kind.RECEPTION_FACILITY, "Malakasa reception facility", "GR", "Information sessions; referrals."),
        (Partner.Kind.DETENTION_FACILITY, "Amygdaleza pre-removal centre", "GR", "Counselling in detention."),
        (Partner.Kind.HEALTH, "Athens General Hospital, outpatients", "GR", "Fit-to-travel examinations."),
    ],
    "RO": [
        (Partner.Kind.AUTHORITY, "General Inspectorate for Immigration", "RO", "Return decisions; exit formalities."),
        (Partner.Kind.TRAINING, "Bucharest vocational training centre", "RO", "Courses before departure."),
    ],
}  # fmt: skip


def directory(missions: dict[str, Mission], users: dict[str, User]) -> None:
    for code, (name, address, zone, languages, periods) in OFFICES.items():
        mission = missions[code]
        if mission.offices.exists():
            continue
        # The demo administrator keeps every host mission's public site and offices.
        admin = User.objects.get(pk=users["admin"].pk)  # fresh: its roles are cached per object
        Membership.objects.get_or_create(user=admin, mission=mission, defaults={"role": Role.ADMINISTRATOR})
        office = offices.office_create(
            acting_user=admin, mission=mission,
            data=offices.OfficeInput(name=name, time_zone=zone, address=address, city=CAPITALS[code],
                                     phone=mission.contact_phone, email=mission.contact_email, languages=languages),
        )  # fmt: skip
        offices.office_hours_set(acting_user=admin, office=office, week=dict.fromkeys(range(5), periods))
        writer = users.get(f"supervisor.{code.lower()}")
        if writer is None or Partner.objects.filter(mission=mission).exists():
            continue
        for country, origin in ORIGINS.items():
            partners.partner_create(
                acting_user=writer, mission=mission,
                data=partners.PartnerInput(kind=Partner.Kind.EMBASSY, name=embassy_name(country, code),
                                           country=country, city=CAPITALS[code],
                                           role=f"Issues passports and laissez-passers to nationals of {origin}."),
            )  # fmt: skip
        for kind, partner_name, country, role in OTHERS.get(code, []):
            partners.partner_create(
                acting_user=writer, mission=mission,
                data=partners.PartnerInput(kind=kind, name=partner_name, country=country, city=CAPITALS[code],
                                           role=role),
            )  # fmt: skip


def embassy_name(country: str, mission_code: str) -> str:
    return f"Embassy of {ORIGINS.get(country, country)}, {CAPITALS[mission_code]}"


def embassy_for(mission_id: int, mission_code: str, country: str) -> Partner | None:
    return Partner.objects.filter(mission_id=mission_id, name=embassy_name(country, mission_code)).first()
