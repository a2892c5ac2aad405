"""The operator's alert panel: list, details, actions, procedure checklist, history."""
