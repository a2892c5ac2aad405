"""Video conferencing at a console or a leader terminal (the call page)."""
