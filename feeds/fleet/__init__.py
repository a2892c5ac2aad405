"""Domain 7: fishing vessels: positions (AIS, MQTT, REST), geofencing against the zones, alerts."""
