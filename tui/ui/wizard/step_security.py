"""Step 7: how the Docker API is secured (the four TLS modes explained), names and certificate files; which
registries the VCH may pull from, and the CAs it trusts them with."""

from __future__ import annotations

from dataclasses import fields, replace
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Checkbox, Input, Label, RadioButton, RadioSet, Static

from tui.core.problems import Problem
from tui.core.spec.model import DEFAULT_KEY_SIZE, Tls, TlsMode, VchSpec
from tui.core.vch.validate_target import TargetFacts
from tui.ui.wizard.base import (
    ChoiceSet,
    FieldProblems,
    Step,
    field_row,
    optional_text,
    shown,
    text_input,
    text_list,
    whole_number,
)
from tui.ui.wizard.texts import TLS_MODES

_MODE_ORDER = (TlsMode.TLSVERIFY, TlsMode.NO_TLSVERIFY, TlsMode.CUSTOM, TlsMode.NO_TLS)
# Which rows each mode shows (row ids without the "-row" suffix).
_ROWS = {
    TlsMode.TLSVERIFY: ("tls_cname", "tls_cert_path", "organization", "certificate_key_size", "tls_ca"),
    TlsMode.NO_TLSVERIFY: ("tls_cname", "tls_cert_path", "organization", "certificate_key_size"),
    TlsMode.CUSTOM: ("tls_server_cert", "tls_server_key", "tls-verify", "tls_ca", "tls_cname", "tls_cert_path"),
    TlsMode.NO_TLS: (),
}


def tls_keys_shown(mode: TlsMode) -> set[str]:
    """The answers-file keys that apply to a TLS mode (what the security step shows for it)."""
    return {"no_tlsverify" if row == "tls-verify" else row for row in _ROWS[mode]}


_ALL_ROWS = (
    "tls_server_cert",
    "tls_server_key",
    "tls-verify",
    "tls_ca",
    "tls_cname",
    "tls_cert_path",
    "organization",
    "certificate_key_size",
)
# (answers-file key, label, placeholder, note) of the registry rows
_REGISTRY_ROWS = (
    ("insecure_registry", "Insecure registries", "(none) host:port, …", "no TLS check"),
    ("whitelist_registry", "Registry whitelist", "(any) host:port or CIDR, …", "pull only from"),
    ("registry_ca", "Registry CA files", "(none) registry-ca.pem, …", "PEM"),
)
_REGISTRY_KEYS = tuple(row[0] for row in _REGISTRY_ROWS)
TLS_KEYS = tuple(f.name for f in fields(Tls))  # the answers-file keys of the TLS settings
_TEXT_KEYS = ("tls_cname", "tls_cert_path", "tls_server_cert", "tls_server_key")


def mode_content(mode: TlsMode) -> Content:
    title, text = TLS_MODES[mode]
    return Content("\n").join([Content.styled(title, f"bold $tls-{mode.value}"), Content(text)])


class SecurityStep(Step):
    KEY = "security"
    TITLE = "Security"
    OWNS = (*TLS_KEYS, *_REGISTRY_KEYS)

    def compose_fields(self) -> ComposeResult:
        with Horizontal(id="tls-mode-row"):
            yield Label("Docker API", classes="field-label")
            with ChoiceSet(id="tls-mode"):
                for mode in _MODE_ORDER:
                    yield RadioButton(TLS_MODES[mode][0], id=f"tls-{mode.value}", value=mode == TlsMode.TLSVERIFY)
            yield Static(id="tls-mode-help")
        yield FieldProblems("no_tls", "no_tlsverify")
        yield field_row(
            "Server certificate",
            text_input(None, id="tls_server_cert", placeholder="server-cert.pem"),
            id="tls_server_cert-row",
        )
        yield FieldProblems("tls_server_cert")
        yield field_row(
            "Server key",
            text_input(None, id="tls_server_key", placeholder="server-key.pem (unencrypted)"),
            id="tls_server_key-row",
        )
        yield FieldProblems("tls_server_key")
        yield field_row(
            "", Checkbox("verify client certificates", id="tls-verify", value=True, compact=True), id="tls-verify-row"
        )
        yield field_row(
            "CA files",
            text_input(None, id="tls_ca", placeholder="(generated) or ca.pem, other-ca.pem"),
            note="verify clients against these",
            id="tls_ca-row",
        )
        yield FieldProblems("tls_ca")
        yield field_row(
            "Common name",
            text_input(None, id="tls_cname", placeholder="vch.example.com or static IP"),
            note="the address clients use",
            id="tls_cname-row",
        )
        yield FieldProblems("tls_cname")
        yield field_row(
            "Certificate folder",
            text_input(None, id="tls_cert_path", placeholder="./<name>"),
            note="new or empty",
            id="tls_cert_path-row",
        )
        yield FieldProblems("tls_cert_path")
        yield field_row(
            "Organization", text_input(None, id="organization", placeholder="(the VCH name)"), id="organization-row"
        )
        yield FieldProblems("organization")
        yield field_row(
            "Key size",
            text_input(None, id="certificate_key_size", placeholder=str(DEFAULT_KEY_SIZE)),
            note="bits",
            id="certificate_key_size-row",
        )
        yield FieldProblems("certificate_key_size")
        for key, label, placeholder, note in _REGISTRY_ROWS:
            yield field_row(label, text_input(None, id=key, placeholder=placeholder), note=note)
            yield FieldProblems(key)

    def mode(self) -> TlsMode:
        pressed = self.query_one("#tls-mode", RadioSet).pressed_button
        return TlsMode(pressed.id.removeprefix("tls-")) if pressed is not None and pressed.id else TlsMode.TLSVERIFY

    def _show_mode(self, mode: TlsMode) -> None:
        self.query_one("#tls-mode-help", Static).update(mode_content(mode))
        for row in _ALL_ROWS:
            self.query_one(f"#{row}-row").display = row in _ROWS[mode]
        verify = self.query_one("#tls-verify", Checkbox).value
        if mode == TlsMode.CUSTOM and not verify:
            self.query_one("#tls_ca-row").display = False
        self.query_one("#tls_ca", Input).placeholder = (
            "ca.pem: the CA of your clients' certificates"
            if mode == TlsMode.CUSTOM
            else "(generated) or ca.pem, other-ca.pem"
        )

    def show(self, spec: VchSpec, facts: TargetFacts | None) -> None:
        tls = spec.tls
        mode = spec.tls_mode()
        self.query_one(f"#tls-{mode.value}", RadioButton).value = True
        for key in _TEXT_KEYS:
            self.query_one(f"#{key}", Input).value = getattr(tls, key) or ""
        self.query_one("#tls_ca", Input).value = shown(tls.tls_ca)
        self.query_one("#organization", Input).value = shown(tls.organization)
        for key in _REGISTRY_KEYS:
            self.query_one(f"#{key}", Input).value = shown(spec.get(key))
        size = tls.certificate_key_size
        self.query_one("#certificate_key_size", Input).value = "" if size == DEFAULT_KEY_SIZE else shown(size)
        self.query_one("#tls-verify", Checkbox).value = not tls.no_tlsverify
        self.query_one("#tls_cert_path", Input).placeholder = (
            spec.effective_tls_cert_path() if not tls.tls_cert_path else ""
        )
        self._show_mode(mode)

    def apply(self, spec: VchSpec) -> VchSpec:
        mode = self.mode()
        self._show_mode(mode)
        text = {key: optional_text(self.query_one(f"#{key}", Input).value) for key in _TEXT_KEYS}
        size = whole_number(self.query_one("#certificate_key_size", Input).value)
        cname, cert_path = text["tls_cname"], text["tls_cert_path"]
        ca = text_list(self.query_one("#tls_ca", Input).value)
        organization = text_list(self.query_one("#organization", Input).value)
        # text that is not a number stays text, so that validation names the field (Tls holds it as typed)
        key_size: Any = DEFAULT_KEY_SIZE if size is None else size
        if mode == TlsMode.NO_TLS:
            tls = Tls(no_tls=True)
        elif mode == TlsMode.NO_TLSVERIFY:
            tls = Tls(
                no_tlsverify=True,
                organization=organization,
                certificate_key_size=key_size,
                tls_cname=cname,
                tls_cert_path=cert_path,
            )
        elif mode == TlsMode.TLSVERIFY:
            tls = Tls(
                tls_ca=ca,
                organization=organization,
                certificate_key_size=key_size,
                tls_cname=cname,
                tls_cert_path=cert_path,
            )
        else:
            verify = self.query_one("#tls-verify", Checkbox).value
            tls = Tls(
                no_tlsverify=not verify,
                tls_ca=ca if verify else (),
                tls_server_cert=text["tls_server_cert"],
                tls_server_key=text["tls_server_key"],
                tls_cname=cname,
                tls_cert_path=cert_path,
            )
        registries = {key: text_list(self.query_one(f"#{key}", Input).value) for key in _REGISTRY_KEYS}
        return replace(spec, tls=tls).with_values(registries)

    def local_problems(self, spec: VchSpec) -> list[Problem]:
        if self.mode() != TlsMode.CUSTOM:
            return []
        problems = []
        if spec.tls.tls_server_cert is None and spec.tls.tls_server_key is None:
            problems.append(
                Problem(
                    "tls_server_cert",
                    "choose the server certificate file (PEM)",
                    "or pick another TLS mode to have certificates generated",
                )
            )
            problems.append(Problem("tls_server_key", "choose the server's private key file (PEM, unencrypted)"))
        return problems
