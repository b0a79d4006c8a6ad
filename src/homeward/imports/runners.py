"""The background runner of tracker imports (registered with homeward.jobs)."""
