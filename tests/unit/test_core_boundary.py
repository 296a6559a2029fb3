"""The core stays UI-free and start-up stays cheap (checked in fresh interpreters)."""

import pkgutil
import subprocess
import sys

import tui.core


def _loaded_after(code: str) -> set[str]:
    out = subprocess.run(
        [sys.executable, "-c", code + "\nimport sys; print('\\n'.join(sys.modules))"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return {line.split(".")[0] for line in out.splitlines()}


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
