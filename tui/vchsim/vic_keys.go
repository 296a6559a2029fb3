package main

import (
	"encoding/base64"
	"fmt"
	"net"
	"sort"
	"strconv"
	"strings"
)

// VIC's extraConfig encoding (pkg/vsphere/extraconfig), read side. A field's key depends on its scope:
//
//	read-only   guestinfo.vice./a/b/c
//	read-write  guestinfo.vice..a.b.c        (every '/' becomes '.')
//	hidden      a/b/c                        (no guestinfo prefix: the guest cannot read it)
//	secret      guestinfo.vice./a/b/c@secret (value sealed with the key in guestinfo.ovfEnv)
//
// Maps: the map's key lists the sorted entry names joined by '|', entries live under "<key>|<name>/...".
// Slices of structs: the key holds len-1, entries under "<key>|<i>/...". Slices of strings: "<key>~" holds
// the values joined by '|'. []byte and net.IP are base64 (an IP keeps Go's 4- or 16-byte form). Empty
// strings are written as "<nil>".
const (
	vicPrefix    = "guestinfo.vice."
	secretKeyKey = "guestinfo.ovfEnv"
)

func roKey(path string) string     { return vicPrefix + "/" + path }
func rwKey(path string) string     { return vicPrefix + "." + strings.ReplaceAll(path, "/", ".") }
func secretKey(path string) string { return roKey(path) + "@secret" }

// vicKeys is one VM's extraConfig as the guest sees it.
type vicKeys map[string]string

// str is the value of key with "<nil>" read as empty; ok is false when the key is absent.
func (k vicKeys) str(key string) (string, bool) {
	v, ok := k[key]
	if v == "<nil>" {
		v = ""
	}
	return v, ok
}

func (k vicKeys) text(key string) string {
	v, _ := k.str(key)
	return v
}

func (k vicKeys) boolean(key string) (bool, error) {
	v, ok := k.str(key)
	if !ok || v == "" {
		return false, nil
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		return false, fmt.Errorf("%s: %q is not a bool", key, v)
	}
	return b, nil
}

func (k vicKeys) integer(key string) (int64, error) {
	v, ok := k.str(key)
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		return 0, fmt.Errorf("%s: %q is not an integer", key, v)
	}
	return n, nil
}

func (k vicKeys) bytes(key string) ([]byte, error) {
	v, ok := k.str(key)
	if !ok || v == "" {
		return nil, nil
	}
	b, err := base64.StdEncoding.DecodeString(v)
	if err != nil {
		return nil, fmt.Errorf("%s: not base64: %v", key, err)
	}
	return b, nil
}

// ip reads a base64 net.IP (4 or 16 bytes); nil when absent.
func (k vicKeys) ip(key string) (net.IP, error) {
	b, err := k.bytes(key)
	if err != nil || b == nil {
		return nil, err
	}
	if len(b) != net.IPv4len && len(b) != net.IPv6len {
		return nil, fmt.Errorf("%s: %d bytes is not an IP", key, len(b))
	}
	return net.IP(b), nil
}

func (k vicKeys) mask(key string) (net.IPMask, error) {
	b, err := k.bytes(key)
	if err != nil || b == nil {
		return nil, err
	}
	return net.IPMask(b), nil
}

// mapNames lists a map's entry names (sorted, as VIC writes them).
func (k vicKeys) mapNames(key string) []string {
	v, _ := k.str(key)
	if v == "" {
		return nil
	}
	names := strings.Split(v, "|")
	sort.Strings(names)
	return names
}

// sliceLen is the length of a slice of structs (the key holds len-1; absent means empty).
func (k vicKeys) sliceLen(key string) (int, error) {
	v, ok := k.str(key)
	if !ok || v == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 0 {
		return 0, fmt.Errorf("%s: %q is not a slice length", key, v)
	}
	return n + 1, nil
}

// strs is a slice of strings: "<key>~" joined by '|' (the key itself holds len-1).
func (k vicKeys) strs(key string) []string {
	v, ok := k.str(key + "~")
	if !ok || v == "" {
		return nil
	}
	return strings.Split(v, "|")
}

// ipv4 gives VIC's 16-byte form for an IPv4 address (net.ParseIP's length) as written by the tether.
func encodeIP(ip net.IP) string {
	return base64.StdEncoding.EncodeToString(ip.To16())
}

func encodeMask(m net.IPMask) string {
	return base64.StdEncoding.EncodeToString(m)
}
