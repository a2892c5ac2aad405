"""The application: command line, configuration, roles, screens, layouts, kiosk and scenes."""
