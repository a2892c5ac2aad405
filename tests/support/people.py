"""People already signed in, for tests of what they do (signing in itself: tests/desktop/test_sign_in_gate.py)."""

from __future__ import annotations

from feeds.identity.roles import Principal, Role

OPERATOR = Principal("trucban", Role.DUTY_OPERATOR, "tinh", "Nguyễn Văn Trực", source="test")
LEADER = Principal("lanhdao", Role.LEADER, "tinh", "Phạm Minh Đức", source="test")
AIR_OPERATOR = Principal("moitruong", Role.DUTY_OPERATOR, "so-tnmt", "Hoàng Văn Môi", source="test")
