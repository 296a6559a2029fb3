package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// One endpoint VM's appliance stand-in: booted when the VM powers on with its CD-ROM on an *appliance.iso,
// stopped when it powers off or is destroyed. boot() follows the real appliance's order: the tether
// configures the networks and publishes their addresses, then launches the sessions; each component acts on
// the VM's extraConfig only (decodeAppliance), never on what the simulator knows otherwise.
type applianceState struct {
	VM         string                     `json:"vm"`
	Name       string                     `json:"name"`
	VCH        string                     `json:"vch,omitempty"`
	ISO        string                     `json:"iso"`
	Power      string                     `json:"power"` // on, off
	State      string                     `json:"state"` // booting, no-boot, idle, network-failed, running, degraded, stopping, off
	Reason     string                     `json:"reason"`
	Interfaces []interfaceState           `json:"interfaces"`
	Components map[string]*componentState `json:"components"`
	DockerAPI  *apiState                  `json:"docker_api"`
	Problems   []string                   `json:"config_problems,omitempty"`
	BootedAt   string                     `json:"booted_at,omitempty"`
}

type apiState struct {
	Served  bool   `json:"served"`
	Host    string `json:"host,omitempty"`
	Port    int    `json:"port,omitempty"`
	URL     string `json:"url,omitempty"`
	TLS     string `json:"tls,omitempty"`     // tlsverify, tls, plain
	Backend string `json:"backend,omitempty"` // builtin, dockerd
	PID     int    `json:"pid,omitempty"`     // the dockerd serving it
	Reason  string `json:"reason,omitempty"`
}

type appliance struct {
	ref   types.ManagedObjectReference
	state applianceState // guarded by standIn.mu
	tet   *tetherResult
	pl    *portLayer
	api   *builtinDocker
	dockd *dockerdBackend
}

// applianceISO finds a CD-ROM on an *appliance.iso that is connected at power-on.
func applianceISO(devices []types.BaseVirtualDevice) (string, bool) {
	for _, d := range devices {
		cd, ok := d.(*types.VirtualCdrom)
		if !ok {
			continue
		}
		iso, ok := cd.Backing.(*types.VirtualCdromIsoBackingInfo)
		if !ok || !strings.HasSuffix(strings.ToLower(iso.FileName), "appliance.iso") {
			continue
		}
		if cd.Connectable != nil && !cd.Connectable.StartConnected {
			continue
		}
		return iso.FileName, true
	}
	return "", false
}

func isoOnDatastore(name string) bool {
	var p object.DatastorePath
	if !p.FromString(name) {
		return false
	}
	dir := datastoreDir(p.Datastore)
	if dir == "" {
		return false
	}
	_, err := os.Stat(filepath.Join(dir, filepath.FromSlash(p.Path)))
	return err == nil
}

// boot fills st (a copy the control API sees once boot returns; it shows "booting" meanwhile).
func (s *standIn) boot(a *appliance, st *applianceState, devices []types.BaseVirtualDevice) {
	st.Power, st.Components, st.DockerAPI = "on", map[string]*componentState{}, &apiState{}
	st.BootedAt = time.Now().UTC().Format(time.RFC3339)
	if !isoOnDatastore(st.ISO) {
		st.State, st.Reason = "no-boot", "the CD-ROM's "+st.ISO+" is not on the datastore: the VM has nothing to boot"
		return
	}
	cfg, err := decodeAppliance(vicKeys(s.configs.guestView(a.ref)))
	if err != nil {
		st.State, st.Reason = "idle", "the appliance booted but "+err.Error()+": it idles (no IP, no Docker API)"
		st.DockerAPI.Reason = st.Reason
		return
	}
	st.VCH, st.Problems = cfg.Name, cfg.Problems

	probe, _ := strconv.Atoi(dockerPort(cfg))
	if probe == 0 {
		probe = 2376
	}
	a.tet, err = applyNetworks(cfg, nicSlots(devices), s.pool, probe)
	st.Interfaces = a.tet.Interfaces
	if err != nil {
		st.State = "network-failed"
		st.Reason = "the tether stopped at network setup (" + err.Error() + "): no address is published and no component starts"
		st.DockerAPI.Reason = st.Reason
		a.tet = nil
		return
	}
	published := a.tet.publishKeys()
	for k, v := range clearedSessionKeys(cfg) {
		published[k] = v
	}
	s.configs.guestSet(a.ref, published)
	if client := a.tet.Assigned["client"]; client != nil {
		s.setGuestAddress(a.ref, client.IP.String())
	}

	keys := map[string]string{}
	now := time.Now()
	for _, name := range s.launchOrder(cfg) {
		c := s.launch(a, st, cfg, cfg.Sessions[name])
		st.Components[name] = c
		for k, v := range sessionKeys(name, c, now) {
			keys[k] = v
		}
	}
	if !st.DockerAPI.Served && st.DockerAPI.Reason == "" {
		st.DockerAPI.Reason = "no active session runs " + binDockerPersonality + " (init/sessions)"
	}
	s.configs.guestSet(a.ref, keys)
	st.State, st.Reason = "running", "every launched component is up"
	for _, bad := range []string{"blocked", "failed"} { // a failure explains a blocked component: it wins
		for _, name := range sortedKeys(st.Components) {
			if c := st.Components[name]; c.State == bad {
				st.State, st.Reason = "degraded", name+": "+c.Reason
				break
			}
		}
	}
	if !st.DockerAPI.Served && st.State == "running" {
		st.State, st.Reason = "degraded", "no Docker API: "+st.DockerAPI.Reason
	}
}

// launchOrder: the port layer before the docker personality (which waits for it), the rest after.
func (s *standIn) launchOrder(cfg *applianceConfig) []string {
	rank := func(path string) int {
		switch path {
		case binPortLayer:
			return 0
		case binDockerPersonality:
			return 1
		}
		return 2
	}
	names := sortedKeys(cfg.Sessions)
	for i := 1; i < len(names); i++ {
		for j := i; j > 0 && rank(cfg.Sessions[names[j]].Path) < rank(cfg.Sessions[names[j-1]].Path); j-- {
			names[j], names[j-1] = names[j-1], names[j]
		}
	}
	return names
}

func (s *standIn) launch(a *appliance, st *applianceState, cfg *applianceConfig, sess *sessionConfig) *componentState {
	c := &componentState{Path: sess.Path}
	switch {
	case !sess.Active:
		c.State, c.Reason = "not-launched", "active=false: the tether does not launch it"
	case !applianceBinaries[sess.Path]:
		c.failed(fmt.Sprintf("exec: %q: stat %s: no such file or directory", sess.Path, sess.Path))
	case sess.Path == binPortLayer:
		pl, err := startPortLayer(context.Background(), cfg, sess, s.self)
		if err != nil {
			c.failed(err.Error())
			return c
		}
		a.pl = pl
		reason := "logged in to " + cfg.Target + " as " + cfg.Username
		if len(pl.offline) > 0 {
			reason += fmt.Sprintf("; volume stores offline: %v", pl.offline)
		}
		c.ok("running", reason)
	case sess.Path == binDockerPersonality:
		s.startPersonality(a, st.DockerAPI, cfg, sess, c)
	default:
		c.ok("launched", "launched; its web UI (port 2378) is not served by the stand-in")
	}
	return c
}

func (s *standIn) startPersonality(a *appliance, api *apiState, cfg *applianceConfig, sess *sessionConfig, c *componentState) {
	plPort, ok := sess.flag("port-layer-port")
	if !ok {
		plPort = defaultPortLayerPort
	}
	if a.pl == nil {
		c.ok("blocked", "launched, but it pings the port layer before serving and no port layer is running")
		api.Reason = c.Reason
		return
	}
	if listening := s.portLayerPort(cfg); listening != plPort {
		c.ok("blocked", fmt.Sprintf("launched, but it pings the port layer on port %s and the port layer listens on %s", plPort, listening))
		api.Reason = c.Reason
		return
	}
	client := a.tet.Assigned["client"]
	if client == nil {
		c.failed("Unable to look up client.localhost to serve docker API: the configuration has no client network")
		api.Reason = c.Reason
		return
	}
	port, _ := sess.flag("port")
	if port == "" {
		port = defaultPersonalityPort
	}
	portNum, err := strconv.Atoi(port)
	if err != nil {
		c.failed(fmt.Sprintf("invalid value %q for flag -port", port))
		api.Reason = c.Reason
		return
	}
	t, err := dockerTLSConfig(cfg)
	if err != nil {
		c.failed(err.Error())
		api.Reason = c.Reason
		return
	}
	addr := &net.TCPAddr{IP: client.IP, Port: portNum}
	api.Host, api.Port, api.TLS, api.URL = client.IP.String(), portNum, t.Mode, "tcp://"+addr.String()
	if s.dockerd != "" {
		api.Backend = "dockerd"
		d, err := startDockerd(s.dockerd, addr, t, cfg)
		if err != nil {
			c.failed(err.Error())
			api.Reason = c.Reason
			return
		}
		a.dockd = d
		api.PID = d.cmd.Process.Pid
	} else {
		api.Backend = "builtin"
		l, err := net.Listen("tcp", addr.String())
		if err != nil {
			c.failed(err.Error())
			api.Reason = c.Reason
			return
		}
		a.api = &builtinDocker{cfg: cfg, volume: a.pl.volumeStores}
		a.api.serve(l, t)
	}
	api.Served = true
	reason := "serving the Docker API on " + api.URL + " (" + t.Mode + ")"
	if t.Mode == "plain" && port == "2376" {
		reason += "; no cert/HostCertificate, so plain HTTP even on 2376, as VIC's personality does"
	}
	c.ok("running", reason)
}

// portLayerPort is the port layer's --port (what its session's arguments say).
func (s *standIn) portLayerPort(cfg *applianceConfig) string {
	for _, sess := range cfg.Sessions {
		if sess.Path == binPortLayer {
			if p, ok := sess.flag("port"); ok {
				return p
			}
		}
	}
	return "(no --port)"
}

// shutdown stops whatever boot() started (the guest's keys stay as it left them, as in vSphere).
func (s *standIn) shutdown(a *appliance, why string) {
	s.mu.Lock()
	a.state.State, a.state.Reason = "stopping", why
	s.mu.Unlock()
	if a.api != nil {
		a.api.stop()
		a.api = nil
	}
	if a.dockd != nil {
		a.dockd.stop()
		a.dockd = nil
	}
	if a.pl != nil {
		a.pl.stop()
		a.pl = nil
	}
	if a.tet != nil {
		for _, ip := range a.tet.Taken {
			s.pool.release(ip)
		}
		a.tet = nil
	}
	s.mu.Lock()
	st := copyState(a.state)
	st.Power, st.State, st.Reason = "off", "off", why
	if st.DockerAPI != nil {
		st.DockerAPI.Served = false
	}
	a.state = st
	s.mu.Unlock()
}

// setGuestAddress reports the client address as guest.ipAddress (the appliance's toolbox reports its
// addresses to vSphere).
func (s *standIn) setGuestAddress(ref types.ManagedObjectReference, ip string) {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	simulator.Map.WithLock(vm, func() {
		simulator.Map.Update(vm, []types.PropertyChange{
			{Name: "guest.ipAddress", Val: ip}, {Name: "summary.guest.ipAddress", Val: ip}})
	})
}
