"""Test settings: the production settings with demo defaults and fast hashing."""

import os

os.environ.setdefault("HOMEWARD_DEMO", "1")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HOMEWARD_HTTPS", "false")

from homeward.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
LANGUAGE_CODE = "en"
