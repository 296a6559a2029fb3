import hashlib
import os
import stat

import pytest

from tui.core.errors import InvalidInput, VchError
from tui.core.vsphere import trust
from tui.core.vsphere.connection import ConnectOptions


def test_fingerprints_of_der_are_colon_hex_upper():
    der = b"not really a certificate"
    fp = trust.Fingerprints.of(der)
    assert fp.sha256.replace(":", "") == hashlib.sha256(der).hexdigest().upper()
    assert fp.sha1.replace(":", "") == hashlib.sha1(der).hexdigest().upper()
    assert fp.matches(fp.sha256.lower())
    assert fp.matches(fp.sha1.replace(":", ""))
    assert not fp.matches("00" * 32)


@pytest.mark.parametrize("bad", ["", "zz:zz", "AB" * 31, "AB" * 33, "12345"])
def test_bad_thumbprint_names_the_flag(bad):
    with pytest.raises(InvalidInput) as err:
        trust.normalize_fingerprint(bad)
    assert "--thumbprint" in str(err.value)


def test_known_hosts_lookup_default_port_comments_and_case(tmp_path):
    sha = "ab" * 32
    f = tmp_path / "kh"
    f.write_text(f"# comment\nVC.example.com {sha}\n127.0.0.1:8989 {'CD' * 20}  # trailing\n[::1]:9443 {'EF' * 32}\n")
    assert trust.lookup("vc.example.com", 443, [f]) == [trust.normalize_fingerprint(sha)]
    assert trust.lookup("vc.example.com", 8443, [f]) == []
    assert trust.lookup("127.0.0.1", 8989, [f]) == [trust.normalize_fingerprint("cd" * 20)]
    assert trust.lookup("::1", 9443, [f]) == [trust.normalize_fingerprint("ef" * 32)]
    assert trust.lookup("x", 443, [tmp_path / "missing"]) == []


def test_known_hosts_bad_line_names_file_and_line(tmp_path):
    f = tmp_path / "kh"
    f.write_text("vc only-one-field-and-more extra\n")
    with pytest.raises(InvalidInput) as err:
        trust.lookup("vc", 443, [f])
    assert f"{f}:1" in str(err.value)


def test_remember_replaces_entry_and_is_private(tmp_path):
    f = tmp_path / "cfg" / "known_hosts"
    trust.remember_fingerprint("127.0.0.1", 8989, "aa" * 32, f)
    trust.remember_fingerprint("127.0.0.1", 8989, "bb" * 32, f)
    trust.remember_fingerprint("other", 443, "cc" * 32, f)
    assert trust.lookup("127.0.0.1", 8989, [f]) == [trust.normalize_fingerprint("bb" * 32)]
    assert len(f.read_text().splitlines()) == 2
    assert stat.S_IMODE(f.stat().st_mode) == 0o600


def test_resolve_flags_before_vic_before_govc(tmp_path):
    env = {
        "VIC_MACHINE_TARGET": "vic-host",
        "GOVC_URL": "https://govc-host/sdk",
        "GOVC_USERNAME": "govc-user",
        "GOVC_PASSWORD": "govc-pw",
        "VCH_TUI_HOME": str(tmp_path),
    }
    opts = ConnectOptions.resolve(env=env)
    assert opts.target.host == "vic-host"
    assert opts.user == "govc-user" and opts.password.reveal() == "govc-pw"
    opts = ConnectOptions.resolve(target="flag-host", user="flag-user", env=env)
    assert (opts.target.host, opts.user) == ("flag-host", "flag-user")
    env.pop("VIC_MACHINE_TARGET")
    assert ConnectOptions.resolve(env=env).target.host == "govc-host"


def test_resolve_missing_ca_file_names_flag(tmp_path):
    with pytest.raises(InvalidInput) as err:
        ConnectOptions.resolve(target="h", ca_file=tmp_path / "nope.pem", env={})
    assert err.value.field == "--ca-file"


def test_govc_known_hosts_files_are_added(tmp_path, monkeypatch):
    monkeypatch.setenv("VCH_TUI_HOME", str(tmp_path))
    files = trust.known_hosts_files({"GOVC_TLS_KNOWN_HOSTS": "/a/kh:/b/kh"})
    assert [str(p) for p in files[1:]] == ["/a/kh", "/b/kh"]
    assert files[0] == tmp_path / "config" / "known_hosts"


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o077])
def test_known_hosts_is_0600_in_a_0700_folder_whatever_the_umask(tmp_path, umask):
    f = tmp_path / "cfg" / "sub" / "known_hosts"
    old = os.umask(umask)
    try:
        trust.remember_fingerprint("vc", 443, "aa" * 32, f)
        trust.remember_fingerprint("vc2", 443, "bb" * 32, f)  # rewritten: still 0600
    finally:
        os.umask(old)
    assert stat.S_IMODE(f.stat().st_mode) == 0o600
    assert stat.S_IMODE(f.parent.stat().st_mode) == stat.S_IMODE(f.parent.parent.stat().st_mode) == 0o700
    assert [p.name for p in f.parent.iterdir()] == ["known_hosts"]  # no temporary file left


def test_known_hosts_is_never_written_through_a_symlink(tmp_path):
    target = tmp_path / "elsewhere"
    target.write_text("precious\n")
    (tmp_path / "cfg").mkdir(mode=0o700)
    link = tmp_path / "cfg" / "known_hosts"
    link.symlink_to(target)
    with pytest.raises(VchError, match="symbolic link"):
        trust.remember_fingerprint("vc", 443, "aa" * 32, link)
    assert target.read_text() == "precious\n" and link.is_symlink()


def test_a_symlinked_config_folder_is_refused(tmp_path):
    (tmp_path / "real").mkdir()
    (tmp_path / "cfg").symlink_to(tmp_path / "real")
    with pytest.raises(OSError, match="symbolic link"):
        trust.remember_fingerprint("vc", 443, "aa" * 32, tmp_path / "cfg" / "known_hosts")
    assert list((tmp_path / "real").iterdir()) == []
