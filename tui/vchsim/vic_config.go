package main

import (
	"errors"
	"fmt"
	"net"
	"sort"
	"strings"
)

// applianceConfig is what VIC's appliance reads from its endpoint VM's extraConfig (the parts the stand-in
// acts on), decoded by decodeAppliance with VIC's key layout (vic_keys.go) and secrets (vic_secret.go).
// A field that cannot be decoded keeps its zero value and records why, as VIC's decoder logs and moves on.
type applianceConfig struct {
	Name, ID string
	Version  buildVersion
	Debug    int64

	Networks map[string]*endpointConfig // role (public, client, management, bridge) -> endpoint
	Sessions map[string]*sessionConfig  // docker-personality, port-layer, vicadmin

	Target, Username, Thumbprint string
	Token                        string
	TokenErr                     error

	HostCert  []byte // PEM; nil with --no-tls
	HostKey   []byte // PEM, decrypted
	KeyErr    error
	ClientCAs []byte // PEM; nil with --no-tlsverify and --no-tls

	ImageStores       []storeURL
	VolumeStores      map[string]storeURL // label -> store
	ContainerNetworks []string
	Problems          []string // fields that could not be decoded
}

type buildVersion struct{ Version, BuildNumber, GitCommit, BuildDate string }

// Short is VIC's ShortVersion: v1.5.8-0-2c978fe.
func (v buildVersion) Short() string {
	return fmt.Sprintf("%s-%s-%s", v.Version, v.BuildNumber, v.GitCommit)
}

type endpointConfig struct {
	Role        string
	Slot        string // Common/id: the NIC's PCI slot number, decimal
	Static      bool
	IP          *net.IPNet // ip/IP + ip/Mask; nil for DHCP
	NetworkName string     // network/Common/name
	NetworkID   string     // network/Common/id: the port group moref
}

type sessionConfig struct {
	Name            string
	Path            string
	Args, Env       []string
	Active, Restart bool
}

// flag returns the value of -name=V / --name=V in the session's arguments.
func (s *sessionConfig) flag(name string) (string, bool) {
	for _, a := range s.Args {
		a = strings.TrimLeft(a, "-")
		if v := strings.TrimPrefix(a, name+"="); v != a {
			return v, true
		}
	}
	return "", false
}

// env returns NAME's value in the session's environment.
func (s *sessionConfig) env(name string) (string, bool) {
	for _, e := range s.Env {
		if v := strings.TrimPrefix(e, name+"="); v != e {
			return v, true
		}
	}
	return "", false
}

type storeURL struct{ Scheme, Host, Path string }

var errNotVCH = errors.New("no VIC configuration: init/common/name and guestinfo.vice./init/common/id are not set")

// decodeAppliance reads VIC's configuration; errNotVCH when the VM carries none (the appliance then idles).
func decodeAppliance(keys vicKeys) (*applianceConfig, error) {
	c := &applianceConfig{
		Name:         keys.text("init/common/name"),
		ID:           keys.text(roKey("init/common/id")),
		Networks:     map[string]*endpointConfig{},
		Sessions:     map[string]*sessionConfig{},
		VolumeStores: map[string]storeURL{},
	}
	if c.Name == "" || c.ID == "" {
		return nil, errNotVCH
	}
	problem := func(err error) {
		if err != nil {
			c.Problems = append(c.Problems, err.Error())
		}
	}
	v := "init/version/"
	c.Version = buildVersion{keys.text(roKey(v + "Version")), keys.text(roKey(v + "BuildNumber")),
		keys.text(roKey(v + "GitCommit")), keys.text(roKey(v + "BuildDate"))}
	var err error
	c.Debug, err = keys.integer(roKey("init/diagnostics/debug"))
	problem(err)

	for _, role := range keys.mapNames(roKey("init/networks")) {
		c.Networks[role] = decodeEndpoint(keys, role, problem)
	}
	for _, name := range keys.mapNames(roKey("init/sessions")) {
		c.Sessions[name] = decodeSession(keys, name, problem)
	}

	secrets, secretsErr := parseSecretKey(keys.text(secretKeyKey))
	c.Target = keys.text(roKey("connect/target"))
	c.Username = keys.text(roKey("connect/username"))
	c.Thumbprint = keys.text(roKey("connect/target_thumbprint"))
	c.Token, c.TokenErr = keys.secret("connect/token", secrets, secretsErr)

	c.HostCert, err = keys.bytes(roKey("cert/HostCertificate/Cert"))
	problem(err)
	// A []byte secret is base64-encoded, then sealed.
	if sealed, err := keys.secret("cert/HostCertificate/Key", secrets, secretsErr); err != nil {
		c.KeyErr = err
	} else if sealed != "" {
		c.HostKey, c.KeyErr = vicKeys{"k": sealed}.bytes("k")
	}
	c.ClientCAs, err = keys.bytes(roKey("cert/CertificateAuthorities"))
	problem(err)

	n, err := keys.sliceLen(roKey("storage/image_stores"))
	problem(err)
	for i := 0; i < n; i++ {
		c.ImageStores = append(c.ImageStores, decodeStore(keys, fmt.Sprintf("storage/image_stores|%d/", i)))
	}
	for _, label := range keys.mapNames(roKey("storage/VolumeLocations")) {
		c.VolumeStores[label] = decodeStore(keys, "storage/VolumeLocations|"+label+"/")
	}
	c.ContainerNetworks = keys.mapNames(roKey("network/container_networks"))
	return c, nil
}

func decodeEndpoint(keys vicKeys, role string, problem func(error)) *endpointConfig {
	p := "init/networks|" + role + "/"
	e := &endpointConfig{
		Role:        role,
		Slot:        keys.text(roKey(p + "Common/id")),
		NetworkName: keys.text(roKey(p + "network/Common/name")),
		NetworkID:   keys.text(roKey(p + "network/Common/id")),
	}
	var err error
	e.Static, err = keys.boolean(roKey(p + "static"))
	problem(err)
	ip, err := keys.ip(roKey(p + "ip/IP"))
	problem(err)
	mask, err := keys.mask(roKey(p + "ip/Mask"))
	problem(err)
	if ip != nil {
		e.IP = &net.IPNet{IP: ip, Mask: mask}
	}
	return e
}

func decodeSession(keys vicKeys, name string, problem func(error)) *sessionConfig {
	p := "init/sessions|" + name + "/"
	s := &sessionConfig{
		Name: name,
		Path: keys.text(roKey(p + "cmd/Path")),
		Args: keys.strs(roKey(p + "cmd/Args")),
		Env:  keys.strs(roKey(p + "cmd/Env")),
	}
	var err error
	s.Active, err = keys.boolean(roKey(p + "active"))
	problem(err)
	s.Restart, err = keys.boolean(roKey(p + "restart"))
	problem(err)
	return s
}

func decodeStore(keys vicKeys, prefix string) storeURL {
	return storeURL{keys.text(roKey(prefix + "Scheme")), keys.text(roKey(prefix + "Host")), keys.text(roKey(prefix + "Path"))}
}

// dynamic is VIC's IsDynamic: DHCP unless the endpoint is static or names an IP.
func (e *endpointConfig) dynamic() bool {
	return !e.Static && (e.IP == nil || e.IP.IP.IsUnspecified())
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
