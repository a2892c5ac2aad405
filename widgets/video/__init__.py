"""The camera tile."""
