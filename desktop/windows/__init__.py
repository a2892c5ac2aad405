"""Top-level windows and what runs them: operator console, wall and leader screens, tile grids, kiosk,
screens, the alert wall and sound, cameras bound to their tiles, the base map source."""
