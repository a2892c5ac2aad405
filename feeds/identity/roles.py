"""Roles, units and the one table of who may do what: every action is checked here, where it is carried out."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum


class Role(str, Enum):
    ADMINISTRATOR = "administrator"
    DUTY_OPERATOR = "duty_operator"
    DUTY_LEADER = "duty_leader"
    LEADER = "leader"
    SECRETARY = "secretary"  # meeting secretary
    WALL = "wall"  # a video-wall device, signed in by its credentials


ROLE_TITLES = {
    Role.ADMINISTRATOR: ("Quản trị hệ thống", "Administrator"),
    Role.DUTY_OPERATOR: ("Trực vận hành", "Duty operator"),
    Role.DUTY_LEADER: ("Lãnh đạo trực", "Duty leader"),
    Role.LEADER: ("Lãnh đạo", "Leader"),
    Role.SECRETARY: ("Thư ký cuộc họp", "Meeting secretary"),
    Role.WALL: ("Màn hình tường (thiết bị)", "Video wall (device)"),
}


class Scope(str, Enum):
    """What the unit check of an action looks at."""

    NONE = "none"  # a role suffices
    TARGET = "target"  # the unit owning the screen a scene goes to
    DOMAIN = "domain"  # the unit owning the alert's domain


@dataclass(frozen=True)
class ActionRule:
    name: str
    roles: frozenset[Role]
    scope: Scope
    title_vi: str
    title_en: str


def _rule(name: str, roles: set[Role], scope: Scope, vi: str, en: str) -> ActionRule:
    return ActionRule(name, frozenset(roles), scope, vi, en)


_A, _OP, _DL, _L, _S, _W = (Role.ADMINISTRATOR, Role.DUTY_OPERATOR, Role.DUTY_LEADER, Role.LEADER, Role.SECRETARY,
                            Role.WALL)
_ALERT_WORKERS = {_A, _OP, _DL}

# The identity domain's own actions; other domains add theirs (Domain.permissions) and `rules()` has them all.
RULES: dict[str, ActionRule] = {rule.name: rule for rule in (
    _rule("scene.push", {_A, _OP, _DL}, Scope.TARGET, "Đẩy kịch bản lên màn hình", "Push a scene to a screen"),
    _rule("scene.save", {_A, _OP, _DL}, Scope.NONE, "Lưu kịch bản", "Save a scene"),
    _rule("scene.apply", {_W, _L, _DL, _A}, Scope.TARGET, "Hiển thị kịch bản nhận được", "Apply a received scene"),
    _rule("alert.ack", _ALERT_WORKERS, Scope.DOMAIN, "Xác nhận cảnh báo", "Acknowledge an alert"),
    _rule("alert.assign", {_A, _DL, _OP}, Scope.DOMAIN, "Giao xử lý cảnh báo", "Assign an alert"),
    _rule("alert.start", _ALERT_WORKERS, Scope.DOMAIN, "Bắt đầu xử lý", "Start handling an alert"),
    _rule("alert.procedure", _ALERT_WORKERS, Scope.DOMAIN, "Đánh dấu bước quy trình", "Tick a procedure step"),
    _rule("alert.note", {_A, _OP, _DL, _L}, Scope.DOMAIN, "Ghi chú cảnh báo", "Add a note to an alert"),
    _rule("alert.escalate", _ALERT_WORKERS, Scope.DOMAIN, "Báo cáo vượt cấp", "Escalate an alert"),
    _rule("alert.resolve", _ALERT_WORKERS, Scope.DOMAIN, "Đã xử lý xong", "Resolve an alert"),
    _rule("alert.close", {_A, _DL}, Scope.DOMAIN, "Đóng cảnh báo", "Close an alert"),
    _rule("procedure.edit", {_A, _DL}, Scope.NONE, "Sửa quy trình xử lý", "Edit procedures"),
    _rule("config.change", {_A}, Scope.NONE, "Thay đổi cấu hình", "Change the configuration"),
    _rule("users.manage", {_A}, Scope.NONE, "Quản lý tài khoản", "Manage accounts"),
    _rule("audit.export", {_A}, Scope.NONE, "Xuất nhật ký kiểm toán", "Export the audit trail"),
    _rule("kiosk.exit", {_A}, Scope.NONE, "Thoát chế độ kiosk", "Leave kiosk mode"),
    _rule("backup.run", {_A}, Scope.NONE, "Sao lưu / khôi phục", "Back up or restore"),
)}

def rules() -> dict[str, ActionRule]:
    """The whole permission table: these actions and every registered domain's (docs/security.md shows it)."""
    from feeds.core.domain import domains

    table = dict(RULES)
    for domain in domains():
        for p in domain.permissions:
            table.setdefault(p.name, ActionRule(p.name, frozenset(Role(r) for r in p.roles), Scope(p.scope),
                                                p.title or p.name, p.title_en or p.name))
    return table


ALERT_ACTIONS = {"ack": "alert.ack", "assign": "alert.assign", "start": "alert.start", "sop_step": "alert.procedure",
                 "sop_done": "alert.procedure", "note": "alert.note", "escalate": "alert.escalate",
                 "resolve": "alert.resolve", "close": "alert.close"}


class UnitLevel(str, Enum):
    PROVINCE = "province"
    DEPARTMENT = "department"
    COMMUNE = "commune"


@dataclass(frozen=True)
class Unit:
    id: str
    title: str
    level: UnitLevel
    parent: str = ""


@dataclass(frozen=True)
class Principal:
    """Who is acting: a person signed in, or a wall device."""

    name: str
    role: Role
    unit: str
    display_name: str = ""
    terminal: str = ""
    source: str = "local"  # local, directory, cached (directory offline), device

    @property
    def label(self) -> str:
        return self.display_name or self.name


@dataclass(frozen=True)
class Target:
    """What an action is carried out on, as far as the unit check needs it."""

    screen: str = ""  # "wall-1/0"
    domain: str = ""  # the alert's domain
    detail: str = ""  # for the audit entry

    def describe(self) -> str:
        return " ".join(part for part in (self.screen, self.domain, self.detail) if part)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason_vi: str = ""
    reason_en: str = ""

    def reason(self, language: str) -> str:
        return self.reason_vi if language == "vi" else self.reason_en


@dataclass(frozen=True)
class Units:
    """The units of the site (province → departments → communes) and what each owns."""

    units: Mapping[str, Unit]
    domain_owner: Mapping[str, str] = field(default_factory=dict)  # alert domain → unit
    terminal_owner: Mapping[str, str] = field(default_factory=dict)  # terminal (before "/screen") → unit

    def root(self) -> str:
        return next((u.id for u in self.units.values() if not u.parent), "")

    def covers(self, unit: str, other: str) -> bool:
        """Whether UNIT is OTHER or one of its ancestors."""
        seen: set[str] = set()
        while other and other not in seen:
            if other == unit:
                return True
            seen.add(other)
            other = self.units[other].parent if other in self.units else ""
        return False

    def owner(self, target: Target, scope: Scope) -> str:
        if scope is Scope.TARGET:
            return self.terminal_owner.get(target.screen.split("/", 1)[0], self.root())
        if scope is Scope.DOMAIN:
            return self.domain_owner.get(target.domain, self.root())
        return ""

    def title(self, unit: str) -> str:
        return self.units[unit].title if unit in self.units else unit


def authorize(principal: Principal | None, action: str, target: Target, units: Units) -> Decision:
    """May PRINCIPAL do ACTION on TARGET? The reason says why not, in both languages."""
    rule = rules().get(action)
    if rule is None:
        return Decision(False, f"Thao tác không xác định: {action}", f"Unknown action: {action}")
    if principal is None:
        return Decision(False, "Chưa đăng nhập", "Not signed in")
    if principal.role not in rule.roles:
        vi, en = ROLE_TITLES[principal.role]
        return Decision(False, f"Vai trò «{vi}» không được phép: {rule.title_vi.lower()}",
                        f"The {en.lower()} role may not {rule.title_en[0].lower()}{rule.title_en[1:]}")
    owner = units.owner(target, rule.scope)
    if owner and not units.covers(principal.unit, owner):
        title = units.title(owner)
        return Decision(False, f"Ngoài phạm vi đơn vị: thuộc {title}", f"Outside your unit: it belongs to {title}")
    return Decision(True)
