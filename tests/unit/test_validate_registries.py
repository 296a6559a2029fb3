"""Local validation of the registries and proxies: each bad value names its answers-file key and the fix."""

from pathlib import Path

import pytest

from tests.unit.good_spec import GOOD
from tui.core.problems import ProblemsError, errors_only, raise_if_errors, warnings_only
from tui.core.spec.validate_local import validate_local

CA_PEM = Path(__file__).resolve().parents[1] / "data" / "vic-machine-1.5.8" / "G4" / "inputs" / "ca.pem"
PROXY = {"http_proxy": "http://127.0.0.1:3128"}

# (id, answers-file values, the field the error must name, a fragment of its message, a fragment of its fix)
BAD = [
    ("proxy-no-scheme", {"http_proxy": "127.0.0.1:3128"}, "http_proxy", "expected format http(s)://", "http://"),
    ("proxy-ftp", {"https_proxy": "ftp://p.example.com:21"}, "https_proxy", "Could not parse HTTP(S)", "http(s)://"),
    ("proxy-no-host", {"http_proxy": "http://"}, "http_proxy", "expected format", "fqdn_or_ip:port"),
    ("proxy-bad-port", {"http_proxy": "http://p:port"}, "http_proxy", "expected format", "fqdn_or_ip:port"),
    ("proxy-blank", {"http_proxy": "http://p .example:1"}, "http_proxy", "blanks", "http(s)://"),
    ("proxy-password", {"http_proxy": "http://u:hunter2@p:3128"}, "http_proxy", "password", "without a password"),
    ("insecure-cidr", {"insecure_registry": ["10.0.0.0/8"]}, "insecure_registry[0]", "invalid insecure", "whitelist"),
    ("insecure-blank", {"insecure_registry": ["reg .example"]}, "insecure_registry[0]", "blanks", "host[:port]"),
    ("insecure-empty", {"insecure_registry": [""]}, "insecure_registry[0]", "is empty", "host[:port]"),
    ("insecure-port", {"insecure_registry": ["r:99999"]}, "insecure_registry[0]", "not a registry", "host[:port]"),
    ("whitelist-no-host", {"whitelist_registry": ["http://"]}, "whitelist_registry[0]", "not a registry", "CIDR"),
    ("ca-missing", {"registry_ca": ["/nonexistent/ca.pem"]}, "registry_ca[0]", "does not exist", "PEM"),
    ("ca-empty", {"registry_ca": [""]}, "registry_ca[0]", "is empty", "PEM"),
    ("ca-tilde", {"registry_ca": ["~/ca.pem"]}, "registry_ca[0]", "starts with ~", "full path"),
    ("ca-folder", {"registry_ca": ["/"]}, "registry_ca[0]", "not a regular file", "PEM"),
    ("no-proxy-hole", {"no_proxy": "a,,b", **PROXY}, "no_proxy", "not * or a comma-separated", "localhost"),
    ("no-proxy-inner-blank", {"no_proxy": "a b", **PROXY}, "no_proxy", "not * or", "no blanks"),
    ("no-proxy-spaces", {"no_proxy": "a, b", **PROXY}, "no_proxy", "blanks around", "a,b"),
]


@pytest.mark.parametrize("values, field, fragment, fix", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_bad_value_names_its_key_and_the_fix(values, field, fragment, fix):
    problems = errors_only(validate_local(GOOD.with_values(values)))
    matching = [p for p in problems if p.field == field]
    assert matching and fragment in matching[0].message and fix in (matching[0].hint or ""), [str(p) for p in problems]
    assert "hunter2" not in str(matching[0])
    with pytest.raises(ProblemsError) as caught:
        raise_if_errors(problems)
    assert caught.value.exit_code == 2


def test_what_vic_machine_accepts_passes():
    spec = GOOD.with_values(
        {
            "insecure_registry": ["127.0.0.1:5000", "http://r.example.com", "*.dev.example.com", "[::1]:5000"],
            "whitelist_registry": ["10.0.0.0/8", "registry.example.com/project", "https://r2.example.com:443"],
            "registry_ca": [str(CA_PEM)],
            "http_proxy": "http://127.0.0.1:3128",
            "https_proxy": "https://proxy.example.com:3129",
            "no_proxy": "localhost,.example.com,10.0.0.5",
        }
    )
    assert validate_local(spec) == []
    assert validate_local(GOOD.with_values({"no_proxy": "*", **PROXY})) == []


def test_a_registry_ca_that_holds_no_certificate_is_refused(tmp_path):
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("not a certificate\n")
    key_only = tmp_path / "key.pem"
    key_only.write_text("-----BEGIN PRIVATE KEY-----\nMIIB\n-----END PRIVATE KEY-----\n")
    problems = errors_only(
        validate_local(GOOD.with_values({"registry_ca": [str(CA_PEM), str(not_pem), str(key_only)]}))
    )
    assert [p.field for p in problems] == ["registry_ca[1]", "registry_ca[2]"]
    assert all("Unable to load certificate authority data for registry" in p.message for p in problems)


@pytest.mark.parametrize(
    "values, field, fragment",
    [
        ({"no_proxy": "localhost"}, "no_proxy", "no effect without"),
        ({"insecure_registry": ["r:5000", "r:5000"]}, "insecure_registry", "more than once"),
    ],
    ids=["no-proxy-alone", "duplicate-registry"],
)
def test_warnings_do_not_block(values, field, fragment):
    problems = validate_local(GOOD.with_values(values))
    assert any(p.field == field and fragment in p.message for p in warnings_only(problems)), [str(p) for p in problems]
    assert errors_only(problems) == []
