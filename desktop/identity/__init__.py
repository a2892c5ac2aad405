"""Identity in the application: opening it for a terminal, the sign-in gate, idle lock and kiosk exit."""
