"""SOAP calls pyVmomi has no binding for, sent over an existing pyVmomi session.

vCenter's AuthorizationManager.DisableMethods/EnableMethods live in the internal namespace
`urn:internalvim25`; VIC uses them to protect its VMs from deletion (sourceId "VIC", reason "Managed by VIC
Engine") and lifts that protection before it deletes them. `disable_methods`/`enable_methods` send them the
way vic-machine does, on the session's own connection pool and cookie. A fault answer is raised as the
pyVmomi fault it names (e.g. vmodl.fault.ManagedObjectNotFound), so callers handle it like any other call.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from tui.core import soap_http

INTERNAL_NAMESPACE = "urn:internalvim25"
VIC_SOURCE_ID = "VIC"
VIC_REASON_ID = "Managed by VIC Engine"

_ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<soapenv:Body>{body}</soapenv:Body></soapenv:Envelope>"
)


class RawSoapError(RuntimeError):
    """The server answered something that is neither a result nor a vSphere fault."""


def _moref(tag: str, obj) -> str:
    return f"<{tag} type={quoteattr(obj._wsdlName)}>{escape(obj._moId)}</{tag}>"


def _text(tag: str, value: str) -> str:
    return f"<{tag}>{escape(value)}</{tag}>"


def invoke(stub, method: str, this, params: Sequence[str], namespace: str = INTERNAL_NAMESPACE) -> bytes:
    """POST `<method xmlns=namespace><_this/>params…</method>` on stub's session; the reply body on success.

    `this` is a pyVmomi managed object; `params` are XML fragments in wire order. Faults are raised as the
    pyVmomi fault type they carry."""
    body = f'<{method} xmlns="{namespace}">{_moref("_this", this)}{"".join(params)}</{method}>'
    data = _ENVELOPE.format(body=body).encode()
    version_id = getattr(stub, "versionId", "") or '"urn:vim25"'
    status, reason, reply = soap_http.post(
        stub, data, what=method, soap_action=version_id.replace("urn:vim25", namespace, 1)
    )
    if status == 200:
        return reply
    if status == 500:
        _raise_fault(stub, reply, method)
    raise RawSoapError(f"{method}: HTTP {status} {reason}")


def _raise_fault(stub, reply: bytes, method: str) -> None:
    import io

    from pyVmomi.SoapAdapter import SoapResponseDeserializer
    from pyVmomi.VmomiSupport import GetVmodlType

    try:
        fault = SoapResponseDeserializer(stub).Deserialize(io.BytesIO(reply), GetVmodlType("vmodl.MethodFault"))
    except Exception as exc:  # noqa: BLE001 - anything unparsable is reported as such
        raise RawSoapError(f"{method}: unreadable fault reply ({exc}): {reply[:300]!r}") from None
    if isinstance(fault, BaseException):
        raise fault
    raise RawSoapError(f"{method}: the server answered a fault pyVmomi cannot read: {reply[:300]!r}")


def disable_methods(
    si, entities: Iterable, methods: Iterable[str], *, source_id: str = VIC_SOURCE_ID, reason_id: str = VIC_REASON_ID
) -> None:
    """AuthorizationManager.DisableMethods: calling `methods` on `entities` fails with MethodDisabled."""
    params = [_moref("entity", e) for e in entities]
    params += [f"<method>{_text('method', m)}{_text('reasonId', reason_id)}</method>" for m in methods]
    params.append(_text("sourceId", source_id))
    invoke(si._stub, "DisableMethods", si.content.authorizationManager, params)


def enable_methods(si, entities: Iterable, methods: Iterable[str], *, source_id: str = VIC_SOURCE_ID) -> None:
    """AuthorizationManager.EnableMethods: lifts `source_id`'s block of `methods` on `entities`."""
    params = [_moref("entity", e) for e in entities]
    params += [_text("method", m) for m in methods]
    params.append(_text("sourceId", source_id))
    invoke(si._stub, "EnableMethods", si.content.authorizationManager, params)
