"""The public site (no login): pages per host mission in the visitor's language, and self-referral."""
