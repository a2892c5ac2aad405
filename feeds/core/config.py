"""Reading one TOML table with errors that name the file and the dotted key, and a domain's section context."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


class ConfigError(ValueError):
    """A configuration mistake: which file, which key, what was expected."""

    def __init__(self, file: str, key: str, message: str) -> None:
        super().__init__(f"{file}: {key}: {message}")
        self.file, self.key, self.message = file, key, message


_KIND_NAMES = {"str": "a string", "int": "an integer", "float": "a number", "bool": "true or false",
               "list": "an array", "dict": "a table"}


def kind_phrase(kind: type | tuple[type, ...]) -> str:
    """"a string", "an integer or a number"…: what a key should hold, for error messages."""
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(_KIND_NAMES.get(k.__name__, k.__name__) for k in kinds)


class TableReader:
    """Typed access to one TOML table that reports the full dotted key on any mistake."""

    def __init__(self, file: str, table: dict[str, Any], path: str, allowed: set[str]) -> None:
        self.file, self.table, self.path = file, table, path
        for key in table:
            if key not in allowed:
                raise ConfigError(file, self.key(key), f"unknown key; expected one of: {', '.join(sorted(allowed))}")

    def key(self, name: str) -> str:
        return f"{self.path}.{name}" if self.path else name

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = ..., what: str = "") -> Any:
        if name not in self.table:
            if default is ...:
                raise ConfigError(self.file, self.key(name), f"missing; expected {what or kind_phrase(kind)}")
            return default
        value = self.table[name]
        if (isinstance(value, bool) and kind not in (bool, (bool,))) or not isinstance(value, kind):
            raise ConfigError(self.file, self.key(name),
                              f"expected {what or kind_phrase(kind)}, got {type(value).__name__} {value!r}")
        return value


@dataclass(frozen=True)
class SectionContext:
    """What a domain's configuration section is read with: the file, its folder, the configured feeds."""

    file: str
    base_dir: Path | None = None  # relative paths in the section are taken from here (None: built-in config)
    feeds: dict[str, Any] = field(default_factory=dict)  # name → feeds.sources.base.FeedSpec

    def error(self, key: str, message: str) -> ConfigError:
        return ConfigError(self.file, key, message)

    def path(self, text: str) -> Path:
        """A path given in the section: `~` expanded, a relative one taken from the configuration's folder."""
        path = Path(text).expanduser()
        return path if path.is_absolute() or self.base_dir is None else self.base_dir / path

    def reader(self, table: Any, path: str, allowed: set[str]) -> TableReader:
        if not isinstance(table, dict):
            raise self.error(path, "expected a table")
        return TableReader(self.file, table, path, allowed)
