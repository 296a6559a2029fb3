"""One SOAP request over a logged-in pyVmomi session, without pyVmomi's (de)serialiser.

The stub keeps the session cookie, TLS trust and connection pool; callers send their own XML (a hot call
such as QueryPerf, or a method pyVmomi has no binding for) and read the raw reply.
"""

from __future__ import annotations

import http.client
import zlib

from tui.core.errors import ConnectionFailed


def post(stub, body: bytes, *, what: str, soap_action: str | None = None) -> tuple[int, str, bytes]:
    """POST `body` the way pyVmomi's SoapStubAdapter.InvokeMethod does: (HTTP status, reason, reply body),
    decompressed. `soap_action` defaults to the stub's own (urn:vim25/<version>). A lost connection drops
    the stub's pooled connections and raises ConnectionFailed naming `what`."""
    headers = {
        "Cookie": stub.cookie,
        "SOAPAction": soap_action if soap_action is not None else stub.versionId,
        "Content-Type": "text/xml; charset=UTF-8",
    }
    conn = stub.GetConnection()
    try:
        conn.request("POST", stub.path, body, headers)
        resp = conn.getresponse()
        data = resp.read()
    except (OSError, http.client.HTTPException) as exc:
        conn.close()
        stub.DropConnections()
        raise ConnectionFailed(f"{what}: connection to vCenter lost ({exc.__class__.__name__}: {exc})") from None
    stub.ReturnConnection(conn)
    encoding = (resp.getheader("Content-Encoding") or "identity").lower()
    if encoding in ("gzip", "deflate"):
        data = zlib.decompress(data, 16 + zlib.MAX_WBITS if encoding == "gzip" else zlib.MAX_WBITS)
    return resp.status, resp.reason, data
