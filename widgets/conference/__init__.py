"""Conference tiles: the participants of a room in a gallery or with the active speaker large."""
