package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"sort"
	"sync/atomic"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Control API, served on the simulator's own listener (127.0.0.1 only) under /vchsim/. JSON in and out;
// errors are {"error": "..."} with status 400 (bad input), 404 (unknown path/VM) or 405 (wrong method).
//
//	GET    /vchsim                      status: delay, scenario active, tracked sessions, VM count
//	GET    /vchsim/fault                {"armed": [...], "fired": {method: n}, "fired_total": n}
//	POST   /vchsim/fault                {"method", "fault", "message", "count", "stage"} arms one entry
//	DELETE /vchsim/fault[?method=M]     clears all entries and counters (or M's entries only)
//	GET    /vchsim/scenario             the active scenario (null when none)
//	POST   /vchsim/scenario             replaces it (body: scenario JSON, see perf_scenario.go)
//	DELETE /vchsim/scenario             back to stock perf data
//	GET    /vchsim/delay                {"ms": N, "methods": {method: ms}}
//	POST   /vchsim/delay                sets both (methods optional, replaces the per-method map)
//	POST   /vchsim/sessions/terminate   ends every vSphere session: {"terminated": n}
//	POST   /vchsim/vm/ip                {"name": VM, "ip": "127.0.0.1"} sets guest.ipAddress
//	GET    /vchsim/appliances           the VIC appliance stand-in per endpoint VM: what it decided and why
//	POST   /vchsim/appliances/boot      {"delay_ms": N}: appliances booted from now on take N ms (a real
//	                                    appliance's boot and DHCP) before their tether publishes anything
func (r *rig) controlHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("/vchsim", r.handleStatus)
	mux.HandleFunc("/vchsim/", r.handleStatus)
	mux.HandleFunc("/vchsim/fault", r.handleFault)
	mux.HandleFunc("/vchsim/scenario", r.handleScenario)
	mux.HandleFunc("/vchsim/delay", r.handleDelay)
	mux.HandleFunc("/vchsim/sessions/terminate", r.handleTerminate)
	mux.HandleFunc("/vchsim/vm/ip", r.handleVMIP)
	mux.HandleFunc("/vchsim/appliances", r.handleAppliances)
	mux.HandleFunc("/vchsim/appliances/boot", r.handleApplianceBoot)
	return mux
}

func writeJSON(w http.ResponseWriter, code int, v interface{}) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_ = json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, code int, format string, args ...interface{}) {
	writeJSON(w, code, map[string]string{"error": fmt.Sprintf(format, args...)})
}

func allow(w http.ResponseWriter, req *http.Request, methods ...string) bool {
	for _, m := range methods {
		if req.Method == m {
			return true
		}
	}
	w.Header().Set("Allow", fmt.Sprint(methods))
	writeError(w, http.StatusMethodNotAllowed, "%s %s: use one of %v", req.Method, req.URL.Path, methods)
	return false
}

func readJSON(w http.ResponseWriter, req *http.Request, v interface{}) bool {
	dec := json.NewDecoder(io.LimitReader(req.Body, 64<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		writeError(w, http.StatusBadRequest, "%s: invalid JSON body: %v", req.URL.Path, err)
		return false
	}
	return true
}

func (r *rig) handleStatus(w http.ResponseWriter, req *http.Request) {
	if req.URL.Path != "/vchsim" && req.URL.Path != "/vchsim/" {
		writeError(w, http.StatusNotFound, "no control endpoint %s", req.URL.Path)
		return
	}
	if !allow(w, req, http.MethodGet) {
		return
	}
	r.sessionsMu.Lock()
	sessions := len(r.sessions)
	r.sessionsMu.Unlock()
	writeJSON(w, http.StatusOK, map[string]interface{}{
		"delay_ms":        atomic.LoadInt64(&r.delayMs),
		"scenario_active": r.scenario.get() != nil,
		"sessions":        sessions,
		"vms":             len(simulator.Map.All("VirtualMachine")),
	})
}

func (r *rig) handleFault(w http.ResponseWriter, req *http.Request) {
	if !allow(w, req, http.MethodGet, http.MethodPost, http.MethodDelete) {
		return
	}
	switch req.Method {
	case http.MethodPost:
		var f armedFault
		if !readJSON(w, req, &f) {
			return
		}
		if err := f.prepare(); err != nil {
			writeError(w, http.StatusBadRequest, "%v", err)
			return
		}
		r.faults.arm(&f)
		writeJSON(w, http.StatusOK, f)
	case http.MethodDelete:
		r.faults.clear(req.URL.Query().Get("method"))
		writeJSON(w, http.StatusOK, r.faults.state())
	default:
		writeJSON(w, http.StatusOK, r.faults.state())
	}
}

func (r *rig) handleScenario(w http.ResponseWriter, req *http.Request) {
	if !allow(w, req, http.MethodGet, http.MethodPost, http.MethodDelete) {
		return
	}
	switch req.Method {
	case http.MethodPost:
		raw, err := io.ReadAll(io.LimitReader(req.Body, 64<<20))
		if err != nil {
			writeError(w, http.StatusBadRequest, "scenario: %v", err)
			return
		}
		sc, err := r.scenario.parse(raw)
		if err != nil {
			writeError(w, http.StatusBadRequest, "%v", err)
			return
		}
		r.scenario.set(sc)
		writeJSON(w, http.StatusOK, sc.spec)
	case http.MethodDelete:
		r.scenario.set(nil)
		writeJSON(w, http.StatusOK, nil)
	default:
		if sc := r.scenario.get(); sc != nil {
			writeJSON(w, http.StatusOK, sc.spec)
		} else {
			writeJSON(w, http.StatusOK, nil)
		}
	}
}

type delaySetting struct {
	Ms      int            `json:"ms"`
	Methods map[string]int `json:"methods"`
}

func (r *rig) handleDelay(w http.ResponseWriter, req *http.Request) {
	if !allow(w, req, http.MethodGet, http.MethodPost) {
		return
	}
	if req.Method == http.MethodPost {
		var d delaySetting
		if !readJSON(w, req, &d) {
			return
		}
		if d.Ms < 0 {
			writeError(w, http.StatusBadRequest, "delay: \"ms\" must be >= 0, got %d", d.Ms)
			return
		}
		for m, ms := range d.Methods {
			if ms < 0 {
				writeError(w, http.StatusBadRequest, "delay: methods[%q] must be >= 0, got %d", m, ms)
				return
			}
		}
		r.setDelay(d.Ms, d.Methods)
	}
	r.delayMu.Lock()
	cur := delaySetting{Ms: int(atomic.LoadInt64(&r.delayMs)), Methods: map[string]int{}}
	for m, ms := range r.methodDelay {
		cur.Methods[m] = ms
	}
	r.delayMu.Unlock()
	writeJSON(w, http.StatusOK, cur)
}

func (r *rig) handleTerminate(w http.ResponseWriter, req *http.Request) {
	if !allow(w, req, http.MethodPost) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]int{"terminated": r.terminateSessions(req.Context())})
}

func (r *rig) handleVMIP(w http.ResponseWriter, req *http.Request) {
	if !allow(w, req, http.MethodPost) {
		return
	}
	var body struct {
		Name string `json:"name"`
		IP   string `json:"ip"`
	}
	if !readJSON(w, req, &body) {
		return
	}
	if net.ParseIP(body.IP) == nil {
		writeError(w, http.StatusBadRequest, "vm/ip: \"ip\" must be an IP address, got %q", body.IP)
		return
	}
	ref, ok := findVM(body.Name)
	if !ok {
		writeError(w, http.StatusNotFound, "vm/ip: no VM named %q (known: %v)", body.Name, vmNames(10))
		return
	}
	if err := setGuestIP(req.Context(), r, ref, body.IP); err != nil {
		writeError(w, http.StatusInternalServerError, "vm/ip: %v", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"name": body.Name, "ip": body.IP})
}

// setGuestIP uses vcsim's extraConfig hook (SET.guest.ipAddress), which 0.24.2 applies on reconfigure to
// guest.ipAddress (and guest.net[0] when the guest reports NICs). summary.guest.ipAddress is only
// updated by vcsim in the latter case, so it is set here too.
func setGuestIP(ctx context.Context, r *rig, ref types.ManagedObjectReference, ip string) error {
	vm := object.NewVirtualMachine(r.client, ref)
	task, err := vm.Reconfigure(ctx, types.VirtualMachineConfigSpec{
		ExtraConfig: []types.BaseOptionValue{&types.OptionValue{Key: "SET.guest.ipAddress", Value: ip}},
	})
	if err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		return err
	}
	obj := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	simulator.Map.WithLock(obj, func() {
		simulator.Map.Update(obj, []types.PropertyChange{{Name: "summary.guest.ipAddress", Val: ip}})
	})
	return nil
}

func findVM(name string) (types.ManagedObjectReference, bool) {
	for _, e := range simulator.Map.All("VirtualMachine") {
		vm := e.(*simulator.VirtualMachine)
		var n string
		simulator.Map.WithLock(vm, func() { n = vm.Name })
		if n == name {
			return vm.Self, true
		}
	}
	return types.ManagedObjectReference{}, false
}

func vmNames(max int) []string {
	var names []string
	for _, e := range simulator.Map.All("VirtualMachine") {
		names = append(names, e.Entity().Name)
	}
	sort.Strings(names)
	if len(names) > max {
		names = append(names[:max], "...")
	}
	return names
}

func (r *rig) handleAppliances(w http.ResponseWriter, req *http.Request) {
	if !allow(w, req, http.MethodGet) {
		return
	}
	writeJSON(w, http.StatusOK, map[string]interface{}{"docker_api": r.standIn.backend(), "appliances": r.standIn.states()})
}

func (r *rig) handleApplianceBoot(w http.ResponseWriter, req *http.Request) {
	if !allow(w, req, http.MethodGet, http.MethodPost) {
		return
	}
	if req.Method == http.MethodPost {
		var body struct {
			DelayMs int64 `json:"delay_ms"`
		}
		if !readJSON(w, req, &body) {
			return
		}
		if body.DelayMs < 0 {
			writeError(w, http.StatusBadRequest, "delay_ms must be >= 0, got %d", body.DelayMs)
			return
		}
		atomic.StoreInt64(&r.standIn.bootDelayMs, body.DelayMs)
	}
	writeJSON(w, http.StatusOK, map[string]int64{"delay_ms": atomic.LoadInt64(&r.standIn.bootDelayMs)})
}
