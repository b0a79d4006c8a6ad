"""The demo public site's pages: English, and translations of some pages (others fall back to English).

Written for the demo from the programme descriptions (seed 001); a mission writes its own.
"""

from __future__ import annotations

# slug -> (kind, position, {language: (title, Markdown body)})
PAGES: dict[str, tuple[str, int, dict[str, tuple[str, str]]]] = {
    "about": (
        "about",
        1,
        {
            "en": (
                "What is assisted voluntary return?",
                (
                    "Assisted voluntary return and reintegration (AVRR) helps people who wish to go back to their "
                    "country of origin to do so **safely and with dignity**.\n\n"
                    "The programme is free of charge and **voluntary**: you decide, and you can change your mind "
                    "until you travel. Counselling is confidential and available in your language."
                ),
            ),
        },
    ),
    "who-can-apply": (
        "eligibility",
        2,
        {
            "en": (
                "Who can apply?",
                (
                    "You can apply if you wish to return to your country of origin and:\n\n"
                    "- your application for international protection was rejected or you withdrew it, or\n"
                    "- you must leave the country by a decision of the authorities, or\n"
                    "- you stay in the country without a residence permit.\n\n"
                    "Families, unaccompanied children (with their guardian) and people with medical needs can apply. "
                    "We look at each case individually: ask us even if you are unsure."
                ),
            ),
        },
    ),
    "assistance": (
        "assistance",
        3,
        {
            "en": (
                "What help is offered?",
                (
                    "- **Travel**: your ticket home, help at the airports and with travel documents.\n"
                    "- **Cash**: a small amount at departure for your first needs.\n"
                    "- **Reintegration**: support to start again at home — a small business, training, housing or "
                    "medical care — planned with you and delivered in your country.\n"
                    "- **Before departure**: accommodation and medical care for the most vulnerable."
                ),
            ),
        },
    ),
    "how-to-apply": (
        "how_to_apply",
        4,
        {
            "en": (
                "How to apply",
                (
                    "1. Fill in the short form on this site, call our hotline or visit one of our offices.\n"
                    "2. A counsellor contacts you in your language and explains the programme.\n"
                    "3. If you decide to return, we prepare your travel with you.\n\n"
                    "Keep the code you receive and quote it when you call us."
                ),
            ),
        },
    ),
    "stories": (
        "stories",
        5,
        {
            "en": (
                "Stories of return",
                (
                    "**Karim**, back in Lahore since last spring, opened a small mobile-phone repair shop with "
                    'the programme\'s support. *"I came home with a plan, not empty-handed."*\n\n'
                    "**Amina** returned to Kabul with her two children; the family received help with rent and "
                    "school costs for the first months.\n\n"
                    "*Names changed; stories shared with consent.*"
                ),
            ),
        },
    ),
}
