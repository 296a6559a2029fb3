import pytest

from tui.core.errors import ExitCode, InvalidInput
from tui.core.vsphere.target import parse_target


@pytest.mark.parametrize(
    "text, host, port, scheme, dc, user",
    [
        ("vc.example.com", "vc.example.com", 443, "https", None, None),
        ("vc.example.com:8443", "vc.example.com", 8443, "https", None, None),
        ("administrator@vsphere.local@vc", "vc", 443, "https", None, "administrator@vsphere.local"),
        ("admin@vc/DC1", "vc", 443, "https", "DC1", "admin"),
        ("https://vc:9443/sdk", "vc", 9443, "https", None, None),
        ("http://127.0.0.1:8989/sdk", "127.0.0.1", 8989, "http", None, None),
        ("http://127.0.0.1", "127.0.0.1", 80, "http", None, None),
        ("https://[::1]:8443", "::1", 8443, "https", None, None),
        ("vc/My%20DC", "vc", 443, "https", "My DC", None),
    ],
)
def test_accepted_forms(text, host, port, scheme, dc, user):
    t = parse_target(text)
    assert (t.host, t.port, t.scheme, t.datacenter, t.user) == (host, port, scheme, dc, user)


def test_password_in_url_is_kept_secret():
    t = parse_target("root:hunter2@vc")
    assert t.password.reveal() == "hunter2"
    assert "hunter2" not in repr(t) and "hunter2" not in t.display()


def test_ipv6_label_has_brackets():
    assert parse_target("https://[::1]:8443").label == "[::1]:8443"


@pytest.mark.parametrize(
    "text, fragment",
    [
        ("", "no vSphere target"),
        ("ftp://vc", "unsupported scheme"),
        ("vc/DC1/host/cluster", "only specify the datacenter"),
        ("vc:notaport", "not a valid host"),
        ("https://:443", "no host name"),
    ],
)
def test_rejected_forms_name_the_flag(text, fragment):
    with pytest.raises(InvalidInput) as err:
        parse_target(text)
    assert fragment in str(err.value)
    assert err.value.field == "--target"
    assert err.value.exit_code == ExitCode.INVALID
