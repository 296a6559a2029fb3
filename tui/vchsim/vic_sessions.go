package main

import (
	"strconv"
	"time"
)

// The appliance's components, launched by the tether from init/sessions by their cmd/Path (the binaries on
// appliance.iso). What `started` says, per the real tether and components:
//   - a path the appliance does not have: the tether's lookPath error, and nothing runs;
//   - a session with active=false is not launched (started stays unset);
//   - the real tether writes started=true as soon as a process is launched; a component that then dies at
//     start-up (port layer: failed login, no image store; docker personality: bad certificate, no client
//     address) exits with status 1 and is relaunched (restart=true) over and over. The stand-in has no process
//     to relaunch: it reports that start-up error as the session's `started` text and status 1, where
//     vic-machine create and vch-tui look for a component's state;
//   - the docker personality pings its port layer before it serves anything, forever: without a running
//     port layer it is launched (started=true) but the Docker API never answers;
//   - vicadmin is launched (started=true); its web UI (port 2378) is not served by the stand-in.
const (
	binDockerPersonality = "/sbin/docker-engine-server"
	binPortLayer         = "/sbin/port-layer-server"
	binVicadmin          = "/sbin/vicadmin"

	defaultPersonalityPort = "9000" // cmd/docker's -port default
	defaultPortLayerPort   = "9001" // cmd/docker's -port-layer-port default
)

var applianceBinaries = map[string]bool{binDockerPersonality: true, binPortLayer: true, binVicadmin: true}

type componentState struct {
	Path    string `json:"path"`
	Started string `json:"started"` // the guest key: "true", an error text, or "" (not launched)
	Status  int    `json:"status"`
	State   string `json:"state"` // running, blocked, failed, launched, not-launched
	Reason  string `json:"reason,omitempty"`
}

func (c *componentState) ok(state, reason string) {
	c.Started, c.Status, c.State, c.Reason = "true", 0, state, reason
}

func (c *componentState) failed(text string) {
	c.Started, c.Status, c.State, c.Reason = text, 1, "failed", text
}

// sessionKeys are the read-write keys the tether writes for one session after a launch attempt.
func sessionKeys(name string, c *componentState, now time.Time) map[string]string {
	if c.State == "not-launched" {
		return nil
	}
	p := "init/sessions|" + name + "/"
	keys := map[string]string{rwKey(p + "started"): c.Started, rwKey(p + "status"): strconv.Itoa(c.Status)}
	if c.Started == "true" {
		keys[rwKey(p+"detail/starttime")] = strconv.FormatInt(now.Unix(), 10)
	}
	return keys
}

// clearedSessionKeys is what the tether publishes with the networks: every session's started unset.
func clearedSessionKeys(cfg *applianceConfig) map[string]string {
	keys := map[string]string{}
	for name := range cfg.Sessions {
		keys[rwKey("init/sessions|"+name+"/started")] = "<nil>"
	}
	return keys
}

// dockerPort is the docker personality's -port (default 9000); "" when there is no such session.
func dockerPort(cfg *applianceConfig) string {
	for _, s := range cfg.Sessions {
		if s.Path == binDockerPersonality {
			if p, ok := s.flag("port"); ok {
				return p
			}
			return defaultPersonalityPort
		}
	}
	return ""
}
