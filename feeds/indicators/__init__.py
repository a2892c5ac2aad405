"""Domains 1, 2, 8 and 9: socio-economic indicators, citizen feedback, public services, documents."""
