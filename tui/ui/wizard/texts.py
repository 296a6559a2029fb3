"""The words of the wizard: what each step is for, and what each firewall level and TLS mode does (VIC's
container network firewall levels and TLS modes, and what users tripped over with vic-machine)."""

from __future__ import annotations

from tui.core.spec.model import TlsMode

# Firewall trust levels of a container network: (short label, what passes, what -p / -P do).
FIREWALL = {
    "closed": (
        "Closed: nothing in or out",
        "No traffic passes on this network, in either direction.",
        '-p is refused ("ports cannot be published via container network").',
    ),
    "outbound": (
        "Outbound: containers may connect out",
        "Containers open connections out; only the replies come back in. Nothing can connect in.",
        "-p is refused, as for closed.",
    ),
    "published": (
        "Published (default): only published ports",
        "Outbound traffic and ping; inbound only to the ports published with -p. Even on a routable "
        "network, port 80 is reachable only with -p 80.",
        "-p works. -P (publish all) is not supported by VIC: publish each port with -p.",
    ),
    "peers": (
        "Peers: open to this network's own containers",
        "Outbound, plus all traffic from the addresses in this network's IP range (its other containers). "
        "Needs an IP range: without one VIC accepts traffic from anywhere.",
        "Reaching a container from outside the range needs a published port (-p).",
    ),
    "open": (
        "Open: everything passes",
        "All traffic in, out and forwarded; every port of every container is reachable.",
        "Every port is reachable already; -p also redirects ports (docker ps shows *).",
    ),
}

TLS_MODES = {
    TlsMode.TLSVERIFY: (
        "Verify clients (default)",
        "HTTPS on port 2376. Docker clients must show a certificate signed by the CA. vch-tui "
        "generates the CA, the server and the client certificates in the certificate folder "
        "(or give your own CA files), valid for one year.",
    ),
    TlsMode.NO_TLSVERIFY: (
        "Encrypt only (no-tlsverify)",
        "HTTPS on port 2376 with a generated server certificate. Any client that can reach "
        "the VCH can use Docker: there are no client certificates.",
    ),
    TlsMode.CUSTOM: (
        "Own server certificate",
        "HTTPS on port 2376 with a certificate and key you supply (the key unencrypted). Clients "
        "are verified against the CA files you give, or not at all if you switch verification off.",
    ),
    TlsMode.NO_TLS: (
        "No TLS (plain HTTP)",
        "Plain HTTP on port 2375: anyone who can reach the VCH controls Docker, and traffic is "
        "readable. Only for isolated test networks.",
    ),
}

STEP_HELP = {
    "connect": "The vSphere target the VCH is created on. The wizard reads its inventory (clusters, hosts, "
    "pools, datastores, port groups) once, so the pickers offer only what really exists. "
    "Reload it with ctrl+r after changing vSphere.",
    "general": "The VCH name (at most 31 characters; not % & * $ # @ ! \\ / : ? \" < > ; ' |) becomes the VM, "
    "its folder and its resource pool, so it must not be in use. The compute resource is the cluster, "
    "host or resource pool the VCH and its containers run in. The timeout bounds the wait for the "
    "VCH's Docker API after power-on.",
    "compute": "Limits cap the VCH's resource pool: every container runs inside it. Empty or 0 means "
    "unlimited. Reservations guarantee capacity; shares weigh the pool against its siblings when the "
    "cluster is busy. The endpoint size is the VCH VM itself. VIC never checks that containers fit: "
    "each default container wants 2 vCPU and 2 GB, and over-commit only shows when containers fail "
    "to start or restart.",
    "storage": "The image store holds container images and container disks (datastore, optionally a folder). "
    "Volume stores hold docker volumes; the label `default` lets `docker volume create` work without "
    "naming a store. Only datastores that the compute resource's hosts mount are offered.",
    "networks": "The bridge network connects containers to each other and to the VCH; it must be a distributed "
    "port group of its own. The public network carries the default route and published ports; the "
    "client network the Docker API; the management network vSphere traffic. Client defaults to "
    "public and management to client. Leave IP and gateway empty for DHCP. Static: the address with "
    "its prefix (10.0.0.2/24); the public gateway is a plain address, client and management gateways "
    "list the networks they route: 10.1.0.0/16,10.2.0.0/16:10.0.0.1.",
    "container_networks": "A container network attaches containers straight to a vSphere port group, with no "
    "NAT. Give a gateway (with its mask, e.g. 10.20.0.1/24) and an IP range for static "
    "addresses, or neither for DHCP. The firewall level decides what may reach the "
    "containers; it cannot be changed later without re-creating the network.",
    "security": "How the Docker API of the VCH is protected. The certificate folder receives the generated "
    "certificates and keys (keys readable only by you); it must be new or empty. Custom "
    "certificate files are checked as soon as you enter them.",
    "summary": "Every value, every remaining problem and warning, and the equivalent vic-machine create command "
    "(no password in it). Save the answers file to create the same VCH headless: "
    "vch-tui create --answers FILE. Create hands the spec to the provisioning screen.",
}
