"""Meetings in the application: the office service embedded in the demo, the leader's meeting controller."""
