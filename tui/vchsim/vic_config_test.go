package main

import (
	"bufio"
	"bytes"
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The captures of the real vic-machine 1.5.8 (tests/data/vic-machine-1.5.8): what it wrote, read back with
// the stand-in's decoder.
var captures = filepath.Join("..", "..", "tests", "data", "vic-machine-1.5.8")

func loadCapture(t *testing.T, spec string) vicKeys {
	t.Helper()
	f, err := os.Open(filepath.Join(captures, spec, "extraconfig.txt"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	keys := vicKeys{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 1<<20)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), "=")
		if !ok {
			t.Fatalf("%s: line without '=': %q", spec, sc.Text())
		}
		keys[k] = v
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return keys
}

func decodeCapture(t *testing.T, spec string) *applianceConfig {
	t.Helper()
	c, err := decodeAppliance(loadCapture(t, spec))
	if err != nil {
		t.Fatalf("%s: %v", spec, err)
	}
	if len(c.Problems) > 0 {
		t.Fatalf("%s: undecodable fields: %v", spec, c.Problems)
	}
	return c
}

func TestCapturesDecodeCompletely(t *testing.T) {
	for _, spec := range []string{"G1", "G2", "G3", "G4", "G4-variant-pkcs8-key"} {
		c := decodeCapture(t, spec)
		name := strings.ToLower(strings.SplitN(spec, "-", 2)[0])
		if spec == "G4-variant-pkcs8-key" {
			name = "g4p8"
		}
		if c.Name != name || !strings.HasPrefix(c.ID, "VirtualMachine:vm-") {
			t.Errorf("%s: name %q id %q", spec, c.Name, c.ID)
		}
		if c.Version.Short() != "v1.5.8-0-2c978fe" {
			t.Errorf("%s: version %q", spec, c.Version.Short())
		}
		for _, s := range []string{"docker-personality", "port-layer", "vicadmin"} {
			if sess := c.Sessions[s]; sess == nil || !sess.Active || sess.Path == "" {
				t.Errorf("%s: session %s: %+v", spec, s, sess)
			}
		}
		if got := strings.Join(sortedKeys(c.Networks), ","); got != "bridge,client,management,public" {
			t.Errorf("%s: networks %s", spec, got)
		}
		if c.TokenErr != nil || c.Token == "" {
			t.Errorf("%s: token: %v", spec, c.TokenErr)
		}
		if c.Username == "" || !strings.HasPrefix(c.Target, "https://") || len(c.Thumbprint) != 59 {
			t.Errorf("%s: connect %q %q %q", spec, c.Username, c.Target, c.Thumbprint)
		}
		if len(c.ImageStores) != 1 || c.ImageStores[0].Scheme != "ds" || c.ImageStores[0].Path != name {
			t.Errorf("%s: image stores %+v", spec, c.ImageStores)
		}
		pl := c.Sessions["port-layer"]
		if port, _ := pl.flag("port"); port != "2377" {
			t.Errorf("%s: port-layer --port %q", spec, port)
		}
		if url, _ := pl.env("VC_URL"); url != c.Target {
			t.Errorf("%s: VC_URL %q", spec, url)
		}
	}
}

func TestG1SharedNICAndTLSVerify(t *testing.T) {
	c := decodeCapture(t, "G1")
	for _, role := range []string{"public", "client", "management"} {
		e := c.Networks[role]
		if e.Slot != "1184" || !e.dynamic() || e.NetworkID != "Network:network-7" {
			t.Errorf("%s: %+v", role, e)
		}
	}
	if b := c.Networks["bridge"]; b.Slot != "1216" || b.dynamic() || !b.IP.IP.Equal(net.IPv4zero) {
		t.Errorf("bridge %+v", b)
	}
	if port, _ := c.Sessions["docker-personality"].flag("port"); port != "2376" {
		t.Errorf("docker port %q", port)
	}
	pair := keyPair(t, c)
	leaf, _ := x509.ParseCertificate(pair.Certificate[0])
	if leaf.Subject.CommonName != "g1.example.com" {
		t.Errorf("server CN %q", leaf.Subject.CommonName)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(c.ClientCAs) {
		t.Fatal("CertificateAuthorities is not PEM")
	}
	if _, err := leaf.Verify(x509.VerifyOptions{Roots: pool, DNSName: "g1.example.com"}); err != nil {
		t.Errorf("the generated server certificate does not chain to the generated CA: %v", err)
	}
	if _, ok := c.VolumeStores["default"]; !ok || c.VolumeStores["default"].Path != "[datastore1] volumes" {
		t.Errorf("volume stores %+v", c.VolumeStores)
	}
	if strings.Join(c.ContainerNetworks, ",") != "backend,bridge" {
		t.Errorf("container networks %v", c.ContainerNetworks)
	}
}

func TestG2StaticAddressesSeparateNICsNoTLSVerify(t *testing.T) {
	c := decodeCapture(t, "G2")
	want := map[string]string{"client": "1184", "management": "1216", "bridge": "1248", "public": "1280"}
	for role, slot := range want {
		if c.Networks[role].Slot != slot {
			t.Errorf("%s slot %q, want %s", role, c.Networks[role].Slot, slot)
		}
	}
	pub := c.Networks["public"]
	if pub.dynamic() || pub.IP.String() != "10.0.0.5/24" {
		t.Errorf("public %v", pub.IP)
	}
	if m := c.Networks["management"]; m.IP.String() != "10.0.2.10/24" {
		t.Errorf("management %v", m.IP)
	}
	if !c.Networks["client"].dynamic() {
		t.Error("client should be DHCP")
	}
	if c.ClientCAs != nil {
		t.Error("no-tlsverify has no CertificateAuthorities")
	}
	keyPair(t, c)
}

func TestG3NoTLS(t *testing.T) {
	c := decodeCapture(t, "G3")
	if c.HostCert != nil || c.HostKey != nil || c.ClientCAs != nil {
		t.Error("no-tls carries no certificate material")
	}
	if port, _ := c.Sessions["docker-personality"].flag("port"); port != "2375" {
		t.Errorf("docker port %q", port)
	}
	if c.ImageStores[0].Host != "datastore2" {
		t.Errorf("image store %+v", c.ImageStores[0])
	}
}

func TestG4CustomCertificateMatchesTheInputs(t *testing.T) {
	for _, spec := range []string{"G4", "G4-variant-pkcs8-key"} {
		c := decodeCapture(t, spec)
		inputs := filepath.Join(captures, "G4", "inputs")
		cert, _ := os.ReadFile(filepath.Join(inputs, "server-cert.pem"))
		ca, _ := os.ReadFile(filepath.Join(inputs, "ca.pem"))
		if !samePEM(c.HostCert, cert) || !samePEM(c.ClientCAs, ca) {
			t.Errorf("%s: certificate material differs from G4/inputs", spec)
		}
		keyPair(t, c)
	}
	c := decodeCapture(t, "G4-variant-pkcs8-key")
	if block, _ := pem.Decode(c.HostKey); block == nil || block.Type != "PRIVATE KEY" {
		t.Error("the pkcs8 variant should carry a PKCS#8 key")
	}
}

func TestSecretsNeedTheRightKey(t *testing.T) {
	keys := loadCapture(t, "G1")
	keys[secretKeyKey] = loadCapture(t, "G2")[secretKeyKey] // another VCH's key
	c, err := decodeAppliance(keys)
	if err != nil {
		t.Fatal(err)
	}
	if c.TokenErr == nil || c.KeyErr == nil || c.Token != "" || c.HostKey != nil {
		t.Errorf("decrypting with the wrong key must fail: %v / %v", c.TokenErr, c.KeyErr)
	}
	delete(keys, secretKeyKey)
	c, _ = decodeAppliance(keys)
	if c.TokenErr == nil || !strings.Contains(c.TokenErr.Error(), "ovfEnv is missing") {
		t.Errorf("no key: %v", c.TokenErr)
	}
}

func TestNotAVCH(t *testing.T) {
	if _, err := decodeAppliance(vicKeys{"guestinfo.vice./init/common/id": "x"}); err != errNotVCH {
		t.Errorf("got %v", err)
	}
}

func TestEncodingHelpers(t *testing.T) {
	if rwKey("init/networks|client/assigned/IP") != "guestinfo.vice..init.networks|client.assigned.IP" {
		t.Error(rwKey("init/networks|client/assigned/IP"))
	}
	if encodeIP(net.ParseIP("10.20.0.1")) != "AAAAAAAAAAAAAP//ChQAAQ==" {
		t.Error(encodeIP(net.ParseIP("10.20.0.1")))
	}
	k := vicKeys{"a": "<nil>", "s~": "x|y", "n": "2"}
	if v, ok := k.str("a"); v != "" || !ok {
		t.Error("<nil> reads as empty")
	}
	if strings.Join(k.strs("s"), ",") != "x,y" {
		t.Error(k.strs("s"))
	}
	if n, _ := k.sliceLen("n"); n != 3 {
		t.Error(n)
	}
	if _, err := k.boolean("s~"); err == nil {
		t.Error("not a bool")
	}
}

func keyPair(t *testing.T, c *applianceConfig) tls.Certificate {
	t.Helper()
	if c.KeyErr != nil {
		t.Fatalf("%s: key: %v", c.Name, c.KeyErr)
	}
	pair, err := tls.X509KeyPair(c.HostCert, c.HostKey)
	if err != nil {
		t.Fatalf("%s: HostCertificate/Cert and the decrypted Key do not pair: %v", c.Name, err)
	}
	return pair
}

func samePEM(a, b []byte) bool {
	x, _ := pem.Decode(a)
	y, _ := pem.Decode(b)
	return x != nil && y != nil && bytes.Equal(x.Bytes, y.Bytes)
}
