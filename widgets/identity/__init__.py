"""Widgets of identity: the sign-in and lock screen drawn over a window, and a touch PIN pad."""
