"""VIC's own VCH configuration (the endpoint VM's extraConfig keys): codec, typed config, readers, builder.

Files:
  keys.py        key names from scope + parent key (read-only, read-write, hidden, secret, non-persistent)
  goip.py        Go's net.IP / IPMask byte forms (16-byte ParseIP, 4-byte ParseCIDR network, IPv4zero)
  schema.py      the declarative field descriptors (`vic(key, kind, scope)`) the typed config is made of
  codec.py       encode / decode of schema dataclasses: maps, slices, primitive slices, base64, `<nil>`
  secretbox.py   NaCl secretbox secrets under the key in guestinfo.ovfEnv; `Sealed` for unopened ones
  values.py      IPNet, IPRange, URL, Moref, Build
  executor.py    the appliance part (`init`): identity, version, sessions, NICs by role, container networks
  vch_config.py  VchConfig: connect, cert, storage, network, container, registry, create options
  config.py      decode(extra, key=…) → VchConfig and encode(cfg, key=…) → extraConfig (unknown keys kept)
"""
