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
