package main

import (
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/tls"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"errors"
	"fmt"
	"math/big"
	"net"
	"os"
	"path/filepath"
	"strings"
	"time"
)

const (
	certFileName = "vchsim-cert.pem"
	keyFileName  = "vchsim-key.pem"
)

// serverCert is the rig's own TLS identity (never govmomi's public test certificate).
type serverCert struct {
	tls     tls.Certificate
	pemPath string
	sha256  string
	sha1    string
}

// loadOrCreateCert reuses DIR/vchsim-cert.pem + vchsim-key.pem, or writes a new RSA-2048 self-signed pair
// (SAN IP 127.0.0.1 and DNS localhost, valid 10 years, key file 0600).
func loadOrCreateCert(dir string) (*serverCert, error) {
	certPath := filepath.Join(dir, certFileName)
	keyPath := filepath.Join(dir, keyFileName)
	_, certErr := os.Stat(certPath)
	_, keyErr := os.Stat(keyPath)
	switch {
	case certErr == nil && keyErr == nil:
	case os.IsNotExist(certErr) && os.IsNotExist(keyErr):
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return nil, fmt.Errorf("-cert-dir %s: %v", dir, err)
		}
		if err := writeSelfSigned(certPath, keyPath); err != nil {
			return nil, err
		}
	default:
		return nil, fmt.Errorf("-cert-dir %s holds only one of %s and %s: remove it or add the other",
			dir, certFileName, keyFileName)
	}
	pair, err := tls.LoadX509KeyPair(certPath, keyPath)
	if err != nil {
		return nil, fmt.Errorf("-cert-dir %s: %v", dir, err)
	}
	der := pair.Certificate[0]
	s256 := sha256.Sum256(der)
	s1 := sha1.Sum(der)
	return &serverCert{tls: pair, pemPath: certPath, sha256: colonHex(s256[:]), sha1: colonHex(s1[:])}, nil
}

func writeSelfSigned(certPath, keyPath string) error {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		return err
	}
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 127))
	if err != nil {
		return err
	}
	pubDER, err := x509.MarshalPKIXPublicKey(&key.PublicKey)
	if err != nil {
		return err
	}
	ski := sha1.Sum(pubDER)
	now := time.Now()
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "vchsim 127.0.0.1", Organization: []string{"vch-tui test rig"}},
		NotBefore:    now.Add(-time.Hour),
		NotAfter:     now.AddDate(10, 0, 0),
		// A self-signed certificate that clients load as their trust anchor (cafile): marked CA with
		// SKI/AKI so OpenSSL's strict chain checks (Python >= 3.13 defaults) accept it.
		IsCA:                  true,
		BasicConstraintsValid: true,
		KeyUsage:              x509.KeyUsageDigitalSignature | x509.KeyUsageKeyEncipherment | x509.KeyUsageCertSign,
		ExtKeyUsage:           []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
		SubjectKeyId:          ski[:],
		AuthorityKeyId:        ski[:],
		IPAddresses:           []net.IP{net.ParseIP("127.0.0.1")},
		DNSNames:              []string{"localhost"},
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, tmpl, &key.PublicKey, key)
	if err != nil {
		return err
	}
	keyPEM := pem.EncodeToMemory(&pem.Block{Type: "RSA PRIVATE KEY", Bytes: x509.MarshalPKCS1PrivateKey(key)})
	if err := writeFileExclusive(keyPath, keyPEM, 0o600); err != nil {
		return err
	}
	certPEM := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return writeFileExclusive(certPath, certPEM, 0o644)
}

// writeFileExclusive creates path with mode (never widening an existing file's permissions).
func writeFileExclusive(path string, data []byte, mode os.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if err != nil {
		return err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return err
	}
	if err := f.Chmod(mode); err != nil { // umask may have narrowed or (for the cert) kept it
		f.Close()
		return err
	}
	return f.Close()
}

func colonHex(b []byte) string {
	parts := make([]string, len(b))
	for i, x := range b {
		parts[i] = fmt.Sprintf("%02X", x)
	}
	return strings.Join(parts, ":")
}

var errNotLoopback = errors.New("-listen must be a loopback address (127.0.0.0/8, ::1 or localhost): the rig serves 127.0.0.1 only")
