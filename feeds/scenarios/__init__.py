"""Simulator scenarios beyond the indicators (one module each, registered with @register_scenario)."""
