"""The ``homeward`` console command: Django's manage.py with Homeward's own verbs.

``homeward demo`` · ``homeward serve`` · ``homeward seed-demo`` · ``homeward worker``
(background reminders) · ``homeward token create USERNAME`` · and every Django management command.
"""

from __future__ import annotations

import os
import sys

ALIASES = {"seed-demo": "seed_demo", "load-programme": "load_programme", "import-rates": "import_rates"}


def main(argv: list[str] | None = None) -> None:
    argv = list(sys.argv if argv is None else argv)
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
        if argv[1] == "demo":
            # The demo runs with demo defaults (DEBUG, a throw-away secret key).
            os.environ.setdefault("HOMEWARD_DEMO", "1")
        if argv[1:3] == ["encryption", "newkey"]:
            # Making the first keys must work before there are keys to start with.
            from homeward.core import crypto

            sys.stdout.write((crypto.new_index_key() if "--index" in argv else crypto.new_key()) + "\n")
            return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "homeward.settings")
    from django.conf import settings
    from django.core.exceptions import ImproperlyConfigured
    from django.core.management import execute_from_command_line

    try:
        settings.INSTALLED_APPS  # noqa: B018 - loads the settings: a bad environment stops here, readably
    except ImproperlyConfigured as error:
        sys.exit(f"homeward: {error}")
    execute_from_command_line(argv)


if __name__ == "__main__":
    main()
