"""Models of accommodation."""
