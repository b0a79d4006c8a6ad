"""Models of health."""
