"""Air-quality and discharge tiles: AQI card and charts, the station list, discharge charts."""
