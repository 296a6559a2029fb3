package main

import (
	"encoding/base64"
	"errors"
	"fmt"

	"golang.org/x/crypto/nacl/secretbox"
)

// VIC's secrets: guestinfo.ovfEnv holds a base64 32-byte key; each "@secret" value is
// base64(24-byte nonce || secretbox(plaintext)) (XSalsa20-Poly1305).
type vicSecretKey [32]byte

func parseSecretKey(text string) (*vicSecretKey, error) {
	if text == "" {
		return nil, errors.New(secretKeyKey + " is missing: no secret can be read")
	}
	raw, err := base64.StdEncoding.DecodeString(text)
	if err != nil {
		return nil, fmt.Errorf("%s is not base64: %v", secretKeyKey, err)
	}
	if len(raw) != 32 {
		return nil, fmt.Errorf("%s holds %d bytes, a secretbox key has 32", secretKeyKey, len(raw))
	}
	var k vicSecretKey
	copy(k[:], raw)
	return &k, nil
}

func (k *vicSecretKey) open(key, sealed string) (string, error) {
	raw, err := base64.StdEncoding.DecodeString(sealed)
	if err != nil {
		return "", fmt.Errorf("%s: not base64: %v", key, err)
	}
	if len(raw) < 24+secretbox.Overhead {
		return "", fmt.Errorf("%s: %d bytes is too short for a sealed value", key, len(raw))
	}
	var nonce [24]byte
	copy(nonce[:], raw[:24])
	plain, ok := secretbox.Open(nil, raw[24:], &nonce, (*[32]byte)(k))
	if !ok {
		return "", fmt.Errorf("%s: cannot be decrypted with the key in %s", key, secretKeyKey)
	}
	return string(plain), nil
}

// secret reads and decrypts one "@secret" value; "", nil when the key is absent.
func (k vicKeys) secret(path string, key *vicSecretKey, keyErr error) (string, error) {
	name := secretKey(path)
	sealed, ok := k.str(name)
	if !ok || sealed == "" {
		return "", nil
	}
	if key == nil {
		return "", fmt.Errorf("%s: %v", name, keyErr)
	}
	return key.open(name, sealed)
}
