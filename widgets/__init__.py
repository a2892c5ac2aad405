"""Qt widgets that show records; a widget never opens a socket or a file."""
