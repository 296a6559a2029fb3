"""The VCH spec and everything that reads, writes and checks it without vSphere.

model.py           VchSpec: what `vic-machine create` takes, with vic-machine's defaults; FIELDS
answers.py         the answers file (TOML keyed by vic-machine's long flag names): load, save, answers_dict
validate_local.py  every rule vic-machine enforces without vSphere, and the ones it never had
vicmachine.py      the equivalent `vic-machine create` command, and reading one back into a spec
addresses.py       IP values in vic-machine's syntax: addresses, gateways with destinations, ranges
storage_paths.py   image and volume store values (`ds/path`, `ds://ds/path`, `ds/path:label`)
units.py           durations in Go's time.ParseDuration syntax
"""
