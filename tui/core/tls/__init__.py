"""TLS for the Docker API of a VCH: the mode model, the certificate folder, custom-certificate checks,
the `.env` hand-off and the HTTPS probe.

modes.py     TlsSettings (plain input) and what each mode needs (ports, files, who is verified)
pem.py       loading and describing PEM certificates and keys (no secrets in any message)
generate.py  creating keys and certificates with cryptography
check.py     checking a user-supplied server certificate, key and CA files
material.py  plan_material() then write_material(): reuse, refuse or generate the folder
envfile.py   the `<name>.env` file and the equivalent `docker context create` command
probe.py     /_ping, /version, /info over httpx, with plain-language error kinds

Nothing here imports textual; cryptography and httpx are imported inside functions, so importing a
module of this package stays cheap.
"""
