"""--password-file: the first line of a file or pipe; devices, folders, huge or empty files refused (exit 2,
naming the flag); --password on the command line warns."""

from __future__ import annotations

import argparse
import os
import threading

import pytest

from tui.cli.options import add_connection_options, connect_options, read_password_file
from tui.core.errors import InvalidInput


def parse(*argv: str) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_connection_options(parser)
    return parser.parse_args(["--target", "vc.example.com", "--user", "admin", *argv])


def test_the_first_line_of_a_file_is_the_password(tmp_path, capsys):
    path = tmp_path / "pw"
    path.write_text("s3cret pass\nignored\n")
    opts = connect_options(parse("--password-file", str(path)), interactive=False)
    assert opts.password.reveal() == "s3cret pass"
    assert "warning" not in capsys.readouterr().err


def test_a_pipe_works(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    writer = threading.Thread(target=lambda: fifo.write_text("from-a-pipe\n"))
    writer.start()
    assert read_password_file(str(fifo)).reveal() == "from-a-pipe"
    writer.join()


def written(path, data: bytes) -> str:
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    "make, why",
    [
        (lambda p: "/dev/zero", "not a regular file"),
        (lambda p: str(p), "not a regular file"),
        (lambda p: str(p / "missing"), "No such file"),
        (lambda p: written(p / "empty", b""), "empty"),
        (lambda p: written(p / "huge", b"x" * 70000), "longer than"),
        (lambda p: written(p / "bin", b"\xff\xfe\n"), "UTF-8"),
    ],
)
def test_bad_password_files_are_refused_naming_the_flag(tmp_path, make, why):
    with pytest.raises(InvalidInput) as err:
        read_password_file(make(tmp_path))
    assert err.value.field == "--password-file" and why in str(err.value)


def test_password_on_the_command_line_warns_and_both_together_are_refused(tmp_path, capsys):
    connect_options(parse("--password", "visible"), interactive=False)
    assert "--password on the command line is visible" in capsys.readouterr().err
    (tmp_path / "pw").write_text("x\n")
    with pytest.raises(InvalidInput):
        connect_options(parse("--password", "a", "--password-file", str(tmp_path / "pw")), interactive=False)
