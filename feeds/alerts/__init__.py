"""IOC Alert and SOP: one alert model for every domain, rules, notifications, procedures."""
