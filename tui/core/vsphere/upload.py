"""Upload a local file to a datastore: a streaming HTTP PUT to vSphere's `/folder` URL with the session cookie.

Byte progress is reported after every chunk; the cancel token is checked between chunks, so a cancel
stops the upload within one chunk. A 401 (the session expired) logs in again and retries once.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path

from tui.core.cancel import Cancelled, CancelToken
from tui.core.errors import VchError

CHUNK = 1 << 20
TIMEOUT = 60.0

Progress = Callable[[int, int], None]  # (bytes sent, total bytes)


class UploadFailed(VchError):
    pass


def folder_url(base_url: str, datacenter: str, datastore: str, path: str) -> str:
    query = urllib.parse.urlencode({"dcPath": datacenter, "dsName": datastore})
    return f"{base_url}/folder/{urllib.parse.quote(path.lstrip('/'))}?{query}"


def session_cookie_header(session) -> str:
    """`vmware_soap_session=...` from pyvmomi's stored Set-Cookie text (attributes dropped)."""
    return session.cookie().split(";", 1)[0].strip()


def _chunks(path: Path, total: int, progress: Progress | None, cancel: CancelToken) -> Iterator[bytes]:
    sent = 0
    with open(path, "rb") as source:
        while True:
            cancel.check()
            chunk = source.read(CHUNK)
            if not chunk:
                return
            sent += len(chunk)
            yield chunk
            if progress:
                progress(min(sent, total), total)


def upload_file(
    session,
    local: str | os.PathLike[str],
    *,
    datacenter: str,
    datastore: str,
    remote: str,
    progress: Progress | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """PUT `local` to `[datastore] remote`; returns the bytes sent. Raises UploadFailed or Cancelled."""
    import httpx

    cancel = cancel or CancelToken()
    local = Path(local)
    try:
        total = local.stat().st_size
    except OSError as exc:
        raise UploadFailed(f"cannot read {local}: {exc.strerror or exc}") from None
    url = folder_url(session.target.base_url, datacenter, datastore, remote)
    verify = session.ssl_context if session.target.tls else False
    if progress:
        progress(0, total)
    for attempt in (1, 2):
        headers = {
            "Cookie": session_cookie_header(session),
            "Content-Type": "application/octet-stream",
            "Content-Length": str(total),
        }
        try:
            with httpx.Client(verify=verify, trust_env=False, timeout=TIMEOUT) as client:
                response = client.put(url, content=_chunks(local, total, progress, cancel), headers=headers)
        except Cancelled:
            raise
        except httpx.HTTPError as exc:
            raise UploadFailed(f"uploading {local.name} to [{datastore}] {remote} failed: {exc}") from None
        if response.status_code == 401 and attempt == 1:
            session.relogin()
            continue
        if response.status_code >= 300:
            body = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
            raise UploadFailed(
                f"uploading {local.name} to [{datastore}] {remote} failed: HTTP "
                f"{response.status_code}{': ' + body if body else ''}"
            )
        return total
    raise UploadFailed(f"uploading {local.name} to [{datastore}] {remote} failed: the session was refused twice")
