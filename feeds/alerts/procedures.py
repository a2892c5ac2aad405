"""Standard operating procedures: one TOML file per procedure, Vietnamese and English side by side."""

from __future__ import annotations

import logging
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from feeds.core.records import AlertAction

log = logging.getLogger(__name__)

DEFAULT_ID = "default"
DOMAIN_PREFIX = "domain:"
_STEP_FIELDS = ("role", "role_en", "do", "do_en")


@dataclass(frozen=True)
class Step:
    role: str
    role_en: str
    do: str
    do_en: str


@dataclass(frozen=True)
class Procedure:
    id: str
    title: str
    title_en: str
    applies_to: tuple[str, ...]
    steps: tuple[Step, ...]
    file: str = ""


def _text(table: dict, name: str, where: str) -> str:
    value = table.get(name)
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: '{name}' must be a non-empty string")
    return value.strip()


def parse_procedure(data: dict, file: str = "") -> Procedure:
    """A procedure from a parsed TOML table; ValueError says what is wrong."""
    applies_to = data.get("applies_to", [])
    if not isinstance(applies_to, list) or not all(isinstance(a, str) for a in applies_to):
        raise ValueError("'applies_to' must be a list of strings")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ValueError("needs at least one [[steps]]")
    parsed = []
    for number, step in enumerate(steps, 1):
        if not isinstance(step, dict):
            raise ValueError(f"step {number}: expected a table")
        parsed.append(Step(*(_text(step, name, f"step {number}") for name in _STEP_FIELDS)))
    return Procedure(id=_text(data, "id", "procedure"), title=_text(data, "title", "procedure"),
                     title_en=_text(data, "title_en", "procedure"), applies_to=tuple(applies_to),
                     steps=tuple(parsed), file=file)


@dataclass
class SopLibrary:
    """The procedures of one folder, looked up by id, alert type or domain."""

    procedures: dict[str, Procedure] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)  # "file: reason" of each file skipped

    @classmethod
    def load(cls, folder: str | Path) -> SopLibrary:
        """Every `*.toml` in `folder`; a broken file is logged and skipped, never fatal."""
        return cls.load_files(sorted(Path(folder).glob("*.toml")))

    @classmethod
    def load_files(cls, paths: Iterable[Path]) -> SopLibrary:
        """The procedures of these files (e.g. those every domain declares); a broken one is skipped, logged."""
        library = cls()
        for path in paths:
            try:
                with path.open("rb") as f:
                    procedure = parse_procedure(tomllib.load(f), str(path))
                if procedure.id in library.procedures:
                    raise ValueError(f"id {procedure.id!r} already defined in {library.procedures[procedure.id].file}")
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError, ValueError) as error:
                library.errors.append(f"{path}: {error}")
                log.warning("SOP %s skipped: %s", path, error)
                continue
            library.procedures[procedure.id] = procedure
        return library

    def get(self, procedure_id: str) -> Procedure | None:
        return self.procedures.get(procedure_id)

    def for_alert(self, alert_type: str, domain: str, procedure: str = "") -> Procedure | None:
        """The explicit procedure id first, then the one for the exact type, the domain, then the default."""
        if procedure and procedure in self.procedures:
            return self.procedures[procedure]
        for wanted in (alert_type, DOMAIN_PREFIX + domain):
            for candidate in self.procedures.values():
                if wanted in candidate.applies_to:
                    return candidate
        return self.procedures.get(DEFAULT_ID)


def checked_steps(procedure: Procedure, actions: Iterable[AlertAction]) -> dict[int, AlertAction]:
    """Step index → the first `sop_step` action of this procedure that checked it."""
    checked: dict[int, AlertAction] = {}
    for action in sorted(actions, key=lambda a: (a.ts, a.id)):
        step = action.data.get("step")
        if (action.action == "sop_step" and action.data.get("procedure") == procedure.id
                and isinstance(step, int) and 0 <= step < len(procedure.steps)):
            checked.setdefault(step, action)
    return checked


def is_done(procedure: Procedure, actions: Iterable[AlertAction]) -> bool:
    """Whether a `sop_done` of this procedure is already in the history."""
    return any(a.action == "sop_done" and a.data.get("procedure") == procedure.id for a in actions)
