"""VIC's own VCH configuration (the endpoint VM's extraConfig keys): codec, typed config, readers, builder.

No Textual, no pyVmomi: callers hand in extraConfig as a mapping and vSphere facts as a Placement.

The codec
  keys.py            key names from scope + parent key (read-only, read-write, hidden, secret, non-persistent)
  schema.py          the declarative field descriptors (`vic(key, kind, scope)`) the typed config is made of
  codec.py           encode / decode of schema dataclasses: maps, slices, primitive slices, base64, `<nil>`
  secretbox.py       NaCl secretbox secrets under the key in guestinfo.ovfEnv; `Sealed` for unopened ones
  goip.py            Go's net.IP / IPMask byte forms (16-byte ParseIP, 4-byte ParseCIDR network, IPv4zero)
  goduration.py      Go's ParseDuration / Duration.String
The typed config
  values.py          IPNet, IPRange, URL, Moref, Build
  executor.py        the appliance part (`init`): identity, version, sessions, NICs by role, container networks
  vch_config.py      VchConfig: connect, cert, storage, network, container, registry, create options
  config.py          decode(extra, key=…) → VchConfig and encode(cfg, key=…) → extraConfig (unknown keys kept)
Reading a VCH
  read.py            is_vch, version, client IP, Docker port, TLS mode, certificate expiry, pool — raw keys only
  to_spec.py         spec_from_config (VchConfig → VchSpec), extras_from_config, resources_from_pool
  create_options.py  vic_machine_create_options: vic-machine's flag order and value printing; Extras
Writing a VCH
  placement.py       Placement: the vSphere facts the builder needs; PCI slot numbering
  sessions.py        the docker-personality, port-layer and vicadmin components
  build.py           build_config / write1_config: what vic-machine 1.5.8 writes in its two writes
"""
