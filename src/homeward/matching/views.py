"""Review of likely duplicates, merge, undo and "not the same person" (STUB: helper C fills it in)."""

from __future__ import annotations

urlpatterns: list = []
