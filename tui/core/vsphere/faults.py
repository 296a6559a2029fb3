"""vSphere faults in words: the text a user sees when a call or a task fails."""

from __future__ import annotations

from tui.core.errors import VchError


class VSphereCallFailed(VchError):
    """A vSphere call or task failed; `fault` is the original pyvmomi fault (or other exception)."""

    def __init__(self, message: str, fault: BaseException | None = None, *, hint: str | None = None) -> None:
        super().__init__(message, hint=hint)
        self.fault = fault


def fault_text(exc: BaseException) -> str:
    """The most useful line of a pyvmomi fault: its message, else its type name."""
    msg = getattr(exc, "msg", None) or getattr(exc, "localizedMessage", None) or getattr(exc, "reason", None)
    name = getattr(exc, "_wsdlName", None) or type(exc).__name__
    if not msg:
        text = str(exc) if not hasattr(exc, "_wsdlName") else ""
        msg = text.strip().splitlines()[0] if text.strip() else ""
    return f"{msg} ({name})" if msg else name


def error_text(exc: BaseException, doing: str | None = None) -> str:
    """Any exception as the text a user sees. A VchError already says everything (message and hint); anything
    else is a surprise (a pyvmomi fault, a socket error), named as unexpected with its best line. `doing`
    ("planning", "connecting") says what was going on."""
    if isinstance(exc, VchError):
        return str(exc)
    return f"unexpected error{f' while {doing}' if doing else ''}: {fault_text(exc)}"


def call_failed(what: str, exc: BaseException) -> VSphereCallFailed:
    return VSphereCallFailed(f"{what} failed: {fault_text(exc)}", exc)


def is_not_found(exc: BaseException) -> bool:
    """A FileNotFound / ManagedObjectNotFound style fault: the thing is already gone."""
    name = getattr(exc, "_wsdlName", "") or type(exc).__name__
    return name in ("FileNotFound", "ManagedObjectNotFound", "NotFound")


_SESSION_LOST = ("NotAuthenticated", "InvalidLogin", "HostConnectFault")


def target_read_failed(exc: BaseException, doing: str = "reading the target") -> VchError:
    """A fault (or a lost connection) while the plan reads the target, as the error the CLI exits with: a lost
    session or connection is a connection failure (exit 3), anything else a failed operation (exit 1)."""
    from tui.core.errors import ConnectionFailed

    name = getattr(exc, "_wsdlName", "") or type(exc).__name__
    if name in _SESSION_LOST or isinstance(exc, OSError):
        return ConnectionFailed(
            f"{doing} failed: the connection to vSphere was lost ({fault_text(exc)})",
            hint="check the target is reachable and log in again; nothing was created",
        )
    if name == "NoPermission":
        return VSphereCallFailed(
            f"{doing} failed: {fault_text(exc)}",
            exc,
            hint="the user needs read access to the datacenter, its hosts, datastores and "
            "networks (vic-machine's create privileges); nothing was created",
        )
    return VSphereCallFailed(
        f"{doing} failed: {fault_text(exc)}",
        exc,
        hint="run again; if it persists, check the vCenter's health. Nothing was created",
    )
