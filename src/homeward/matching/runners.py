"""The batch duplicate run as a background job (STUB: helper B fills it in)."""
