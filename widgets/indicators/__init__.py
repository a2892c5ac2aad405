"""Indicator tiles."""
