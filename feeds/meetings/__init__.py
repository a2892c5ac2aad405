"""Paperless meetings (e-Cabinet): meetings, agenda, attendance, papers, polls and ballots, speaking, signing."""
