"""Domains 3 and 4: air quality (VN_AQI, hourly and daily) and factory discharge, with their alerts."""
