"""The office service: the site's authority for meetings, papers and ballots, over HTTPS, with live state on MQTT.

It composes domains (meetings, identity; the task follow-up later) the way `desktop/` composes the GUI, so it
may import them; no domain imports it."""
