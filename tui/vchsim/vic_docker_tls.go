package main

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
)

// The docker personality's TLS (cmd/docker startServer): with no cert/HostCertificate it serves plain HTTP
// (whatever the port); otherwise the certificate and the decrypted key must pair ("refusing to run without
// TLS with a host certificate specified" when they do not), TLS 1.2 at least, and with
// cert/CertificateAuthorities clients must present a certificate that chains to one of those CAs
// (RequireAndVerifyClientCert); CAs that do not parse are fatal ("Unable to load CAs in config").
type dockerTLS struct {
	Mode   string // "tlsverify", "tls" (server TLS only) or "plain"
	Config *tls.Config
}

func dockerTLSConfig(cfg *applianceConfig) (*dockerTLS, error) {
	if len(cfg.HostCert) == 0 {
		return &dockerTLS{Mode: "plain"}, nil
	}
	if cfg.KeyErr != nil {
		return nil, fmt.Errorf("Could not load certificate from config and refusing to run without TLS with a host certificate specified: %v", cfg.KeyErr)
	}
	if len(cfg.HostKey) == 0 {
		return nil, errors.New("Could not load certificate from config and refusing to run without TLS with a host certificate specified: cert/HostCertificate/Key@secret is missing")
	}
	pair, err := tls.X509KeyPair(cfg.HostCert, cfg.HostKey)
	if err != nil {
		return nil, fmt.Errorf("Could not load certificate from config and refusing to run without TLS with a host certificate specified: %v", err)
	}
	t := &dockerTLS{Mode: "tls", Config: &tls.Config{Certificates: []tls.Certificate{pair}, MinVersion: tls.VersionTLS12}}
	if len(cfg.ClientCAs) > 0 {
		pool := x509.NewCertPool()
		if !pool.AppendCertsFromPEM(cfg.ClientCAs) {
			return nil, errors.New("Unable to load CAs in config")
		}
		t.Mode = "tlsverify"
		t.Config.ClientAuth = tls.RequireAndVerifyClientCert
		t.Config.ClientCAs = pool
	}
	return t, nil
}
