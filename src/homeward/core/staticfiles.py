"""Collected static files: hashed names and gzip copies, without brotli.

WhiteNoise compresses every file with brotli too when the brotli package is installed (a dependency of a
dependency here). At brotli's highest quality that took two minutes or more of `collectstatic` (which
`homeward serve` runs at every start) for django-ninja's API documentation bundles alone, while Debian's
nginx, which serves /static/ in production (deploy/nginx/homeward.conf), only uses the .gz copies
(gzip_static). WhiteNoise serves the .gz copies too.
"""

from __future__ import annotations

from typing import Any

from whitenoise.compress import Compressor
from whitenoise.storage import CompressedManifestStaticFilesStorage


class GzipManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    def create_compressor(self, **kwargs: Any) -> Compressor:
        return super().create_compressor(use_brotli=False, **kwargs)
