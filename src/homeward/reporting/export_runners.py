"""Background runners of exports (registered with homeward.jobs)."""
