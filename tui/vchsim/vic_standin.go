package main

import (
	"log"
	"net/url"
	"sort"
	"sync"
	"sync/atomic"
	"time"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
)

// standIn watches power changes in the simulator (a vcsim registry handler) and runs one appliance per
// endpoint VM that boots an *appliance.iso. Transitions of one VM run one at a time, in a goroutine (the
// handler is called under vcsim's locks), and always act on the VM's current power state, so a quick
// on/off/on sequence ends in the right state. stopAll() ends every appliance (simulator shutdown).
type standIn struct {
	configs *vmConfigs
	pool    *loopbackPool
	dockerd string   // dockerd binary; "" = the built-in Docker API endpoint
	self    *url.URL // this simulator's SOAP URL (the only target the port layer logs in to)

	bootDelayMs int64 // atomic: how long a boot takes before the tether publishes (POST /vchsim/appliances/boot)

	mu     sync.Mutex
	vms    map[types.ManagedObjectReference]*appliance
	locks  map[types.ManagedObjectReference]*sync.Mutex
	wg     sync.WaitGroup
	closed bool
}

func newStandIn(configs *vmConfigs, dockerd string) *standIn {
	return &standIn{configs: configs, pool: newLoopbackPool(), dockerd: dockerd,
		vms: map[types.ManagedObjectReference]*appliance{}, locks: map[types.ManagedObjectReference]*sync.Mutex{}}
}

var standInRef = types.ManagedObjectReference{Type: "VchsimApplianceStandIn", Value: "stand-in"}

// RegisterObject, so vcsim tells us about every object change.
func (s *standIn) Reference() types.ManagedObjectReference { return standInRef }
func (s *standIn) PutObject(mo.Reference)                  {}

func (s *standIn) UpdateObject(obj mo.Reference, changes []types.PropertyChange) {
	ref := obj.Reference()
	if ref.Type != "VirtualMachine" {
		return
	}
	for _, c := range changes {
		if c.Name == "runtime.powerState" {
			s.kick(ref)
			return
		}
	}
}

func (s *standIn) RemoveObject(ref types.ManagedObjectReference) {
	if ref.Type == "VirtualMachine" {
		s.configs.forget(ref)
		s.kick(ref)
	}
}

func (s *standIn) kick(ref types.ManagedObjectReference) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		s.reconcile(ref)
	}()
}

func (s *standIn) vmLock(ref types.ManagedObjectReference) *sync.Mutex {
	s.mu.Lock()
	defer s.mu.Unlock()
	l := s.locks[ref]
	if l == nil {
		l = &sync.Mutex{}
		s.locks[ref] = l
	}
	return l
}

// reconcile brings the appliance in line with the VM: booted while it is powered on, stopped otherwise.
func (s *standIn) reconcile(ref types.ManagedObjectReference) {
	l := s.vmLock(ref)
	l.Lock()
	defer l.Unlock()

	var name, power string
	var devices []types.BaseVirtualDevice
	exists := false
	if vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine); ok {
		simulator.Map.WithLock(vm, func() {
			exists = true
			name, power = vm.Name, string(vm.Runtime.PowerState)
			if vm.Config != nil {
				devices = append(devices, vm.Config.Hardware.Device...)
			}
		})
	}
	s.mu.Lock()
	a := s.vms[ref]
	closed := s.closed
	running := a != nil && a.state.Power == "on"
	s.mu.Unlock()

	switch {
	case running && (!exists || power != string(types.VirtualMachinePowerStatePoweredOn) || closed):
		why := "powered off"
		if !exists {
			why = "the VM was destroyed"
		} else if closed {
			why = "the simulator is stopping"
		}
		s.shutdown(a, why)
		log.Printf("appliance stand-in %s (%s): stopped: %s", name, ref.Value, why)
	case !running && exists && !closed && power == string(types.VirtualMachinePowerStatePoweredOn):
		iso, ok := applianceISO(devices)
		if !ok {
			return // not an endpoint VM
		}
		st := applianceState{VM: ref.Value, Name: name, ISO: iso, Power: "on", State: "booting", Reason: "the appliance is booting"}
		s.mu.Lock()
		if a == nil {
			a = &appliance{ref: ref}
			s.vms[ref] = a
		}
		a.state = st
		s.mu.Unlock()
		if !s.bootWait(ref) {
			s.mu.Lock()
			a.state.Power, a.state.State, a.state.Reason = "off", "off", "powered off while booting"
			s.mu.Unlock()
			log.Printf("appliance stand-in %s (%s): powered off while booting", name, ref.Value)
			return
		}
		s.boot(a, &st, devices)
		s.mu.Lock()
		a.state = st
		s.mu.Unlock()
		log.Printf("appliance stand-in %s (%s): %s: %s", name, ref.Value, st.State, st.Reason)
	}
}

// bootWait sleeps the configured boot delay, a little at a time; false when the VM stopped being powered on
// (or the simulator is stopping) meanwhile: that boot never gets as far as the tether.
func (s *standIn) bootWait(ref types.ManagedObjectReference) bool {
	deadline := time.Now().Add(time.Duration(atomic.LoadInt64(&s.bootDelayMs)) * time.Millisecond)
	for time.Now().Before(deadline) {
		time.Sleep(25 * time.Millisecond)
		s.mu.Lock()
		closed := s.closed
		s.mu.Unlock()
		on := false
		if vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine); ok {
			simulator.Map.WithLock(vm, func() { on = vm.Runtime.PowerState == types.VirtualMachinePowerStatePoweredOn })
		}
		if closed || !on {
			return false
		}
	}
	return true
}

// states is the control API's view, sorted by VM name.
func (s *standIn) states() []applianceState {
	s.mu.Lock()
	out := make([]applianceState, 0, len(s.vms))
	for _, a := range s.vms {
		out = append(out, copyState(a.state))
	}
	s.mu.Unlock()
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func copyState(st applianceState) applianceState {
	c := st
	c.Interfaces = append([]interfaceState(nil), st.Interfaces...)
	c.Components = map[string]*componentState{}
	for k, v := range st.Components {
		cv := *v
		c.Components[k] = &cv
	}
	if st.DockerAPI != nil {
		api := *st.DockerAPI
		c.DockerAPI = &api
	}
	return c
}

// stopAll ends every appliance and waits for transitions in flight (no dockerd outlives the simulator).
func (s *standIn) stopAll() {
	s.mu.Lock()
	s.closed = true
	refs := make([]types.ManagedObjectReference, 0, len(s.vms))
	for ref := range s.vms {
		refs = append(refs, ref)
	}
	s.mu.Unlock()
	s.wg.Wait()
	var wg sync.WaitGroup
	for _, ref := range refs {
		wg.Add(1)
		go func(ref types.ManagedObjectReference) {
			defer wg.Done()
			s.reconcile(ref)
		}(ref)
	}
	wg.Wait()
}

func (s *standIn) backend() string {
	if s.dockerd != "" {
		return "dockerd"
	}
	return "builtin"
}
