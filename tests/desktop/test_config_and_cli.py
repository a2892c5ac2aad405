"""Configuration validation, layouts and presets, and the command line."""

from __future__ import annotations

import subprocess
import sys

import pytest

from desktop.commands.cli import build_parser
from desktop.config.layouts import PRESETS, LayoutError, ScreenLayout, place, preset_of, with_preset
from desktop.config.loader import ConfigError, default_config_text, load_config, parse_config
from tests.support.paths import ROOT
from widgets.base.registry import tile_types
from widgets.base.spec import TileSpec

TILES = tile_types()


def run_cli(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "desktop.commands.cli", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=timeout, env={**__import__("os").environ, "QT_QPA_PLATFORM": "offscreen"})


def test_built_in_configuration_is_valid_and_complete():
    config = load_config(None, TILES)
    assert set(config.roles) == {"operator", "wall", "leader"}
    assert config.feeds["ioc"].address == "sim://ioc"
    assert config.roles["wall"].terminal == "wall-1"
    assert all(len(layout.tiles) > 0 for layout in config.layouts.values())


@pytest.mark.parametrize("mutate,key,expected", [
    (lambda t: t.replace('language = "vi"', 'language = "fr"'), "language", '"vi" or "en"'),
    (lambda t: t.replace('stale_after_s = 900', 'stale_after_s = "soon"'), "stale_after_s", "a number"),
    (lambda t: 'colour = "red"\n' + t, "colour", "unknown key"),
    (lambda t: t.replace('address = "sim://ioc"', 'address = "gopher://x"'), "feeds.ioc.address", "unknown address"),
    (lambda t: t.replace("seed = 7", 'seed = "seven"'), "feeds.ioc.options.seed", "an integer"),
    (lambda t: t.replace("seed = 7", "sead = 7"), "feeds.ioc.options.sead", "unknown key"),
    (lambda t: t.replace('feed = "ioc"\nkey = "econ/grdp_growth"', 'feed = "nope"\nkey = "econ/grdp_growth"', 1),
     "layouts.dieu-hanh.tiles[1].feed", "unknown feed 'nope'"),
    (lambda t: t.replace('type = "indicator"', 'type = "radar"', 1), "layouts.dieu-hanh.tiles[1].type",
     "unknown tile type 'radar'"),
    (lambda t: t.replace('preset = "3x3"', 'preset = "5x5"', 1), "layouts.dieu-hanh.preset", "unknown preset"),
    (lambda t: t.replace('preset = "2x2"', 'preset = "1"', 1), "layouts.lanh-dao", "more tiles than"),
    (lambda t: t.replace('screens = ["tong-quan"]', 'screens = ["missing"]'), "roles.wall.screens[0]",
     "unknown layout 'missing'"),
    (lambda t: t.replace('feed = "ioc"\ntargets', 'feed = "other"\ntargets'), "scenes.feed", "unknown feed"),
    (lambda t: t.replace("[roles.leader]", "[roles.janitor]"), "roles.janitor", "unknown role"),
    (lambda t: t + "\n[feeds\n", "(syntax)", ""),
    (lambda t: t.replace('feed = "ioc"\nsop_dir', 'feed = "nope"\nsop_dir'), "alerts.feed", "unknown feed"),
    (lambda t: t.replace("warning = 30, critical", "warning = -1, critical"), "alerts.escalate_after_min.warning",
     "positive number of minutes"),
    (lambda t: t.replace("emergency = [] }", 'emergency = ["email"] }'), "alerts.notify.emergency",
     "unknown channel 'email'"),
    (lambda t: t.replace('target = "wall-1/0"\nmin', 'target = "wall"\nmin'), "alerts.popup.target",
     "a wall screen"),
    (lambda t: t.replace('min_severity = "emergency"\nrevert', 'min_severity = "loud"\nrevert'),
     "alerts.popup.min_severity",
     "expected one of"),
    (lambda t: t.replace("limit = 40\n", "limit = \"forty\"\n"), "alerts.rules[0].limit", "number"),
    (lambda t: t.replace('when = "below"', 'when = "sometimes"'), "alerts.rules[1].when", "sometimes"),
    (lambda t: t + '\n[alerts.channels.email]\nhost = "mail"\nport = "x"\nsender = "a@b"\nto = ["c@d"]\n',
     "alerts.channels.email.port", "integer"),
])
def test_mistakes_name_the_file_the_key_and_what_was_expected(mutate, key, expected):
    with pytest.raises(ConfigError) as caught:
        parse_config(mutate(default_config_text()), "site.toml", TILES)
    assert caught.value.file == "site.toml"
    assert caught.value.key == key
    assert expected in caught.value.message
    assert str(caught.value).startswith(f"site.toml: {key}: ")


def test_a_bad_config_exits_non_zero_before_any_window(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text(default_config_text().replace("speed = 1800.0", "speed = true"), encoding="utf-8")
    shot = tmp_path / "never.png"
    result = run_cli("operator", "--config", str(bad), "--screenshot", str(shot), "--cache", str(tmp_path / "c"))
    assert result.returncode == 2
    assert f"{bad}: feeds.ioc.options.speed: expected an integer or a number" in result.stderr
    assert not shot.exists()
    assert not (tmp_path / "c").exists()
    check = run_cli("config", "--check", str(bad))
    assert check.returncode == 2 and "feeds.ioc.options.speed" in check.stderr


def test_print_default_prints_the_built_in_configuration(tmp_path):
    result = run_cli("config", "--print-default")
    assert result.returncode == 0
    copy = tmp_path / "copy.toml"
    copy.write_text(result.stdout, encoding="utf-8")
    assert run_cli("config", "--check", str(copy)).returncode == 0
    assert "Tổng quan tỉnh Thanh Hóa" in result.stdout


def test_help_on_every_subcommand():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # the registered subcommands
    assert {"demo", "operator", "wall", "leader", "simulate", "config"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as done:
            parser.parse_args([name, "--help"])
        assert done.value.code == 0
    for flag in ("--cache", "--screenshot", "--quit-after", "--kiosk", "--screens", "--config"):
        assert flag in commands["wall"].format_help()
    result = run_cli("--help")
    assert result.returncode == 0 and "simulate" in result.stdout


def test_screens_argument_is_checked():
    with pytest.raises(SystemExit):
        build_parser().parse_args(["wall", "--screens", "0,x"])
    assert build_parser().parse_args(["wall", "--screens", "1,0"]).screens == (1, 0)


@pytest.mark.parametrize("preset,count", [("1", 1), ("2x2", 4), ("3x3", 9), ("4x4", 16), ("1+5", 6), ("1+7", 8)])
def test_presets_tile_the_grid_exactly_once(preset, count):
    rows, cols, cells = PRESETS[preset]
    assert len(cells) == count
    covered = [(r + dr, c + dc) for r, c, rs, cs in cells for dr in range(rs) for dc in range(cs)]
    assert sorted(covered) == [(r, c) for r in range(rows) for c in range(cols)]
    layout = place("x", [TileSpec(type="clock") for _ in range(count)], preset=preset)
    assert preset_of(layout) == preset


def test_reflow_and_round_trip():
    layout = place("x", [TileSpec(type="indicator", key=f"k{i}") for i in range(6)], preset="3x3")
    big = with_preset(layout, "1+5")
    assert big.tiles[0].rowspan == 2 and big.tiles[0].key == "k0"
    assert ScreenLayout.from_dict(big.to_dict()) == big
    with pytest.raises(LayoutError):
        place("x", [TileSpec(type="clock", row=3, col=0)], preset="2x2")
