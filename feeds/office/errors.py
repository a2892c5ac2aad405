"""The office service's refusals: an HTTP status, a code for programs, and the reason in both languages."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass
class OfficeError(Exception):
    status: int
    code: str
    message_en: str
    message_vi: str = ""

    def __str__(self) -> str:
        return self.message_en

    def body(self) -> dict[str, str]:
        return {"error": self.code, "message": self.message_en, "message_vi": self.message_vi or self.message_en}


def unauthorized(en: str = "Sign in first", vi: str = "Cần đăng nhập") -> OfficeError:
    return OfficeError(401, "unauthorized", en, vi)


def forbidden(en: str, vi: str) -> OfficeError:
    return OfficeError(403, "forbidden", en, vi)


def not_found(what: str) -> OfficeError:
    return OfficeError(404, "not_found", f"No such {what}", f"Không tìm thấy: {what}")


def invalid(en: str, vi: str = "") -> OfficeError:
    return OfficeError(422, "invalid", en, vi or f"Yêu cầu không hợp lệ: {en}")


def conflict(en: str, vi: str = "") -> OfficeError:
    return OfficeError(409, "conflict", en, vi or f"Không thực hiện được: {en}")
