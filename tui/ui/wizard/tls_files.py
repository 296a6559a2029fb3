"""Custom certificate files, checked as soon as both are typed.

`vch-tui create`'s full check reads them only once the TLS settings themselves are consistent (e.g. a CA
given when clients are verified); the wizard wants to say at once that a file is missing, not PEM, or not a
pair, so it also runs the TLS helper's file check directly. Problems the full check already names are not
repeated. Blocking (reads files): call it from a thread worker.
"""

from __future__ import annotations

from pathlib import Path

from tui.core.problems import Problem
from tui.core.spec.model import TlsMode, VchSpec


def certificate_file_problems(spec: VchSpec, already: list[Problem] | None = None) -> list[Problem]:
    tls = spec.tls
    if spec.tls_mode() != TlsMode.CUSTOM or not (tls.tls_server_cert and tls.tls_server_key):
        return []
    from tui.core.tls.check import check_server_certificate

    seen = {(p.field, p.message) for p in already or ()}
    found = check_server_certificate(
        Path(tls.tls_server_cert), Path(tls.tls_server_key), spec.effective_tls_cname(), [Path(p) for p in tls.tls_ca]
    )
    return [p for p in found if (p.field, p.message) not in seen]
