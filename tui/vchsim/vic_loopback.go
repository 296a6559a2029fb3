package main

import (
	"fmt"
	"math/rand"
	"net"
	"strconv"
	"sync"
	"time"
)

// Addresses for VCH interfaces: every one is on the loopback network 127.0.0.0/8, so a VCH's Docker API is
// reachable from this machine only. DHCP gets a fresh 127.x.y.z (x >= 64, clear of the addresses tools
// usually take); a static address a.b.c.d becomes 127.b.c.d. An address is only handed out when the probe
// port (the VCH's Docker port) is free on it, so simulators running side by side never collide.
type loopbackPool struct {
	mu   sync.Mutex
	used map[string]bool
	rnd  *rand.Rand
}

func newLoopbackPool() *loopbackPool {
	return &loopbackPool{used: map[string]bool{}, rnd: rand.New(rand.NewSource(time.Now().UnixNano()))}
}

// dynamic hands out a free loopback address.
func (p *loopbackPool) dynamic(probePort int) (net.IP, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	for attempt := 0; attempt < 200; attempt++ {
		ip := net.IPv4(127, byte(64+p.rnd.Intn(190)), byte(p.rnd.Intn(256)), byte(1+p.rnd.Intn(254)))
		if p.takeLocked(ip, probePort) {
			return ip, nil
		}
	}
	return nil, fmt.Errorf("no free loopback address with port %d free after 200 tries", probePort)
}

// static maps a configured address to its loopback equivalent; ok is false when that one is not usable
// (taken, or not a host address), and the caller falls back to dynamic().
func (p *loopbackPool) static(configured net.IP, probePort int) (net.IP, bool) {
	v4 := configured.To4()
	if v4 == nil {
		return nil, false
	}
	ip := net.IPv4(127, v4[1], v4[2], v4[3])
	if (v4[1] == 0 && v4[2] == 0 && v4[3] <= 1) || (v4[1] == 255 && v4[2] == 255 && v4[3] == 255) {
		return nil, false // 127.0.0.0 is the network, 127.0.0.1 the simulator's own, .255 broadcast
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.takeLocked(ip, probePort) {
		return nil, false
	}
	return ip, true
}

func (p *loopbackPool) takeLocked(ip net.IP, probePort int) bool {
	if p.used[ip.String()] || !portFree(ip, probePort) {
		return false
	}
	p.used[ip.String()] = true
	return true
}

func (p *loopbackPool) release(ip net.IP) {
	p.mu.Lock()
	delete(p.used, ip.String())
	p.mu.Unlock()
}

func portFree(ip net.IP, port int) bool {
	l, err := net.Listen("tcp", net.JoinHostPort(ip.String(), strconv.Itoa(port)))
	if err != nil {
		return false
	}
	_ = l.Close()
	return true
}
