"""Connect to vCenter / ESXi: the form, the blocking login in a thread worker, and certificate trust.

The password field is converted to a `Secret` when the form is submitted and then emptied, so no plain
str password stays in an attribute (Textual's crash screen prints locals).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Grid, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Header, Input, Label, Static
from textual.worker import get_current_worker

from tui.core import paths
from tui.core.errors import InvalidInput, VchError
from tui.core.secret import Secret
from tui.core.vsphere.connection import ConnectOptions, FingerprintMismatch, UnknownCertificate
from tui.core.vsphere.faults import error_text
from tui.core.vsphere.trust import remember_fingerprint
from tui.ui.connection_bar import ConnectionBar, ConnectionInfo
from tui.ui.message_modal import MessageModal
from tui.ui.trust_modal import TrustModal


def _target_text(opts: ConnectOptions) -> str:
    t = opts.target
    return t.base_url + (f"/{t.datacenter}" if t.datacenter else "")


def mismatch_text(err: FingerprintMismatch) -> str:
    expected = "\n".join(f"  {fp}" for fp in err.expected)
    return (
        f"The certificate of {err.host}:{err.port} does NOT match the fingerprint pinned by {err.source}.\n\n"
        f"Expected:\n{expected}\n\nActual:\n  SHA-256 {err.actual.sha256}\n  SHA-1   {err.actual.sha1}\n\n"
        f"{err.hint}"
    )


class ConnectScreen(Screen[bool]):
    """Dismisses with True once `app.set_session` has the new session, False when cancelled."""

    HELP_TITLE = "Connect"

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="connect.cancel", tooltip="Back without connecting")]

    class Connected(Message):
        def __init__(self, session: object, info: ConnectionInfo, opts: ConnectOptions) -> None:
            super().__init__()
            self.session, self.info, self.opts = session, info, opts

    class TrustNeeded(Message):
        def __init__(self, error: UnknownCertificate, opts: ConnectOptions) -> None:
            super().__init__()
            self.error, self.opts = error, opts

    class Mismatch(Message):
        def __init__(self, error: FingerprintMismatch) -> None:
            super().__init__()
            self.error = error

    class Failed(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    def __init__(
        self,
        options: ConnectOptions | None = None,
        *,
        auto_connect: bool = True,
        session_factory: Callable[[ConnectOptions], Any] | None = None,
    ) -> None:
        super().__init__()
        self.options = options
        self.auto_connect = auto_connect
        self._factory = session_factory
        self._password_default: Secret = options.password if options else Secret("")

    def compose(self) -> ComposeResult:
        opts = self.options
        yield Header()
        with Center(), Vertical(id="connect-form", classes="dialog"):
            yield Static(Content("Connect to vCenter or ESXi"), classes="dialog-title")
            with Grid(id="connect-fields"):
                yield Label("Target", classes="field-label")
                yield Input(
                    _target_text(opts) if opts else "",
                    id="target",
                    compact=True,
                    placeholder="vcenter.example.com, host:port or https://host/datacenter",
                )
                yield Label("User", classes="field-label")
                yield Input(
                    (opts.user or "") if opts else "",
                    id="user",
                    compact=True,
                    placeholder="administrator@vsphere.local",
                )
                yield Label("Password", classes="field-label")
                yield Input(id="password", password=True, compact=True, placeholder=self._password_placeholder())
            yield Static(id="connect-status")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Cancel", id="cancel")
                yield Button("Connect", id="connect", variant="primary")
        yield ConnectionBar()
        yield Footer()

    def _password_placeholder(self) -> str:
        return "(given already; type to replace)" if self._password_default else ""

    def on_mount(self) -> None:
        opts = self.options
        if self.auto_connect and opts and opts.user and opts.password:
            self.submit()
            return
        for field in ("target", "user", "password"):
            widget = self.query_one(f"#{field}", Input)
            if not widget.value and not (field == "password" and self._password_default):
                widget.focus()
                return
        self.query_one("#connect", Button).focus()

    # -- the form ---------------------------------------------------------------------------------

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        order = ["target", "user", "password"]
        after = order[order.index(event.input.id or "password") + 1 :]
        for field in after:
            widget = self.query_one(f"#{field}", Input)
            if not widget.value and not (field == "password" and self._password_default):
                widget.focus()
                return
        self.submit()

    @on(Button.Pressed, "#connect")
    def _connect_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.submit()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def _take_password(self) -> Secret:
        field = self.query_one("#password", Input)
        if field.value:
            self._password_default = Secret(field.value)
            field.value = ""
            field.placeholder = self._password_placeholder()
        return self._password_default

    def _options_from_form(self) -> ConnectOptions:
        password = self._take_password()
        opts = ConnectOptions.resolve(
            target=self.query_one("#target", Input).value.strip() or None,
            user=self.query_one("#user", Input).value.strip() or None,
            password=password,
        )
        base = self.options
        if base is not None:  # keep --ca-file / known-hosts files; a --thumbprint only for the same server
            same_server = base.target.label == opts.target.label
            opts = replace(
                opts,
                ca_files=list(base.ca_files),
                known_hosts=list(base.known_hosts),
                thumbprint=opts.thumbprint or (base.thumbprint if same_server else None),
            )
        opts.require_credentials()
        return opts

    def submit(self) -> None:
        try:
            opts = self._options_from_form()
        except VchError as err:
            self._status(str(err), "error")
            if isinstance(err, InvalidInput) and err.field in ("--target", "--user", "--password"):
                self.query_one(f"#{err.field.lstrip('-')}", Input).focus()
            return
        self._start(opts)

    def _start(self, opts: ConnectOptions) -> None:
        self._status(f"Connecting to {opts.target.label} as {opts.user}…", "busy")
        self.query_one("#connect", Button).disabled = True
        self._connect(opts)

    def _status(self, text: str, kind: str) -> None:
        status = self.query_one("#connect-status", Static)
        status.update(Content(text))
        status.set_classes(f"-{kind}")

    def _idle(self) -> None:
        self.query_one("#connect", Button).disabled = False

    # -- the blocking part ----------------------------------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="connect", description="connect to vSphere")
    def _connect(self, opts: ConnectOptions) -> None:
        worker = get_current_worker()
        factory: Callable[[ConnectOptions], Any] = self._factory or self.app.session_factory  # type: ignore[attr-defined]
        message: Message
        try:
            session = factory(opts)
            info = ConnectionInfo(session.target_label, opts.user or "", session.trusted_by, session.about)
        except UnknownCertificate as err:
            message = self.TrustNeeded(err, opts)
        except FingerprintMismatch as err:
            message = self.Mismatch(err)
        except Exception as err:  # noqa: BLE001 - pyvmomi and socket surprises too: shown, never a crash
            message = self.Failed(error_text(err, "connecting"))
        else:
            if worker.is_cancelled:
                session.logout()
                return
            message = self.Connected(session, info, opts)
        if not worker.is_cancelled:
            self.post_message(message)

    # -- results ----------------------------------------------------------------------------------

    @on(Connected)
    def _connected(self, message: Connected) -> None:
        self.app.set_session(message.session, message.info, message.opts)  # type: ignore[attr-defined]
        self.dismiss(True)

    @on(Failed)
    def _failed(self, message: Failed) -> None:
        self._idle()
        self._status(message.text, "error")

    @on(Mismatch)
    def _mismatch(self, message: Mismatch) -> None:
        self._idle()
        err = message.error
        self._status(
            f"Refused: the certificate of {err.host}:{err.port} does not match the pinned fingerprint.", "error"
        )
        self.app.push_screen(MessageModal("Certificate does NOT match", mismatch_text(err)))

    @on(TrustNeeded)
    def _trust_needed(self, message: TrustNeeded) -> None:
        err, opts = message.error, message.opts
        self._status(f"Waiting for your decision on the certificate of {err.host}:{err.port}.", "busy")

        def decided(accepted: bool | None) -> None:
            if not accepted:
                self._idle()
                self._status("Certificate rejected: not connected.", "error")
                return
            try:
                remember_fingerprint(err.host, err.port, err.sha256)
            except (VchError, OSError) as exc:
                self._idle()
                self._status(f"Could not save the fingerprint: {exc}", "error")
                return
            self._start(replace(opts, thumbprint=err.sha256))

        self.app.push_screen(
            TrustModal(err.host, err.port, err.sha256, err.sha1, saved_in=str(paths.known_hosts_file())),
            callback=decided,
        )

    def action_cancel(self) -> None:
        self.workers.cancel_group(self, "connect")
        self.dismiss(False)
