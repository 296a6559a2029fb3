"""The core stays UI-free and start-up stays cheap (checked in fresh interpreters): --version builds no parser, a
command loads only its own module."""

import contextlib
import io
import pkgutil
import subprocess
import sys

import pytest

import tui.core
from tui.cli.main import main
from tui.cli.parser import COMMANDS, build_parser


def modules_after(code: str) -> set[str]:
    """Every module loaded once `code` ran in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(out.splitlines())


def _loaded_after(code: str) -> set[str]:
    return {name.split(".")[0] for name in modules_after(code)}


def test_every_core_module_imports_without_textual():
    names = [m.name for m in pkgutil.walk_packages(tui.core.__path__, "tui.core.")]
    assert len(names) > 5
    loaded = _loaded_after("\n".join(f"import {name}" for name in names))
    assert "textual" not in loaded


def test_version_loads_neither_textual_nor_pyvmomi():
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys; from tui.cli.main import main\n"
            "try: main(['--version'])\n"
            "except SystemExit: pass\n"
            "print(sorted({m.split('.')[0] for m in sys.modules}))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "vch-tui" in out
    for heavy in ("textual", "pyVmomi", "cryptography", "httpx"):
        assert f"'{heavy}'" not in out, heavy


def test_version_prints_what_the_parsers_version_action_prints():
    fast = io.StringIO()
    with contextlib.redirect_stdout(fast):
        assert main(["--version"]) == 0
    full = io.StringIO()
    with contextlib.redirect_stdout(full), pytest.raises(SystemExit) as done:
        build_parser().parse_args(["--version"])
    assert done.value.code == 0
    assert fast.getvalue() == full.getvalue() == "vch-tui 0.1.0\n"


def test_version_loads_no_parser_and_no_command():
    loaded = modules_after("from tui.cli.main import main; main(['--version'])")
    assert "argparse" not in loaded
    assert not {m for m in loaded if m.startswith("tui.cli.") and m != "tui.cli.main"}


def test_a_command_loads_its_own_module_only():
    loaded = modules_after("from tui.cli.parser import build_parser; build_parser(['ls', '--json'])")
    commands = {m for m in loaded if m.startswith("tui.cli.commands.")}
    assert commands == {"tui.cli.commands.ls"}


def test_the_named_command_has_its_options_and_help_lists_every_command():
    args = build_parser(["top", "--once"]).parse_args(["--target", "vc", "top", "--once", "--vch", "ls"])
    assert (args.command, args.once, args.vch, args.target) == ("top", True, "ls", "vc")
    text = build_parser(["--help"]).format_help()
    for name, summary in COMMANDS.items():
        assert name in text and summary[:30] in text
