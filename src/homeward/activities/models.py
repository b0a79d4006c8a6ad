"""Models of activities."""
