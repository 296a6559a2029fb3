package main

import (
	"fmt"
	"log"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// vCenter's extraConfig semantics, on top of vcsim 0.24.2 (which appends every entry of a spec):
//   - a key written again replaces the old value, an empty value deletes the key (no duplicates);
//   - guestinfo.ovfEnv (VIC keeps its secretbox key there) is stored and visible to the guest and in the
//     .vmx file on the datastore, but never returned by API reads of config.extraConfig.
//
// settle() runs after vcsim applied a CreateVM_Task/ReconfigVM_Task spec, before the client gets the reply.
var hiddenFromAPI = map[string]bool{"guestinfo.ovfEnv": true}

type vmConfigs struct {
	mu     sync.Mutex
	hidden map[types.ManagedObjectReference]map[string]string
}

func newVMConfigs() *vmConfigs {
	return &vmConfigs{hidden: map[types.ManagedObjectReference]map[string]string{}}
}

// settle normalises vm's extraConfig in place (last value wins, empty deletes, hidden keys moved aside)
// and rewrites its .vmx file.
func (c *vmConfigs) settle(ref types.ManagedObjectReference) {
	c.update(ref, nil)
}

// guestSet writes keys the way the guest does (guestinfo set from inside the VM): replace, empty deletes.
func (c *vmConfigs) guestSet(ref types.ManagedObjectReference, keys map[string]string) {
	c.update(ref, keys)
}

func (c *vmConfigs) update(ref types.ManagedObjectReference, set map[string]string) {
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return
	}
	var file vmxFile
	simulator.Map.WithLock(vm, func() {
		if vm.Config == nil {
			return
		}
		entries := vm.Config.ExtraConfig
		for k, v := range set {
			entries = append(entries, &types.OptionValue{Key: k, Value: v})
		}
		c.mu.Lock()
		hidden := c.hidden[ref]
		if hidden == nil {
			hidden = map[string]string{}
			c.hidden[ref] = hidden
		}
		visible := mergeExtraConfig(entries, hidden)
		all := make(map[string]string, len(visible)+len(hidden))
		for _, o := range visible {
			all[o.GetOptionValue().Key] = optionString(o)
		}
		for k, v := range hidden {
			all[k] = v
		}
		c.mu.Unlock()
		simulator.Map.Update(vm, []types.PropertyChange{{Name: "config.extraConfig", Val: visible}})
		file = newVMXFile(vm, all)
	})
	if err := file.write(); err != nil {
		log.Printf("writing the .vmx of %s: %v", ref, err)
	}
}

// mergeExtraConfig applies entries in order: the last value of a key wins, an empty value deletes it, and
// keys hidden from the API go to hidden instead. The first position of a key is kept.
func mergeExtraConfig(entries []types.BaseOptionValue, hidden map[string]string) []types.BaseOptionValue {
	index := map[string]int{}
	var out []types.BaseOptionValue
	var deleted []bool
	for _, e := range entries {
		o := e.GetOptionValue()
		value := optionString(e)
		if hiddenFromAPI[o.Key] {
			if value == "" {
				delete(hidden, o.Key)
			} else {
				hidden[o.Key] = value
			}
			continue
		}
		if i, ok := index[o.Key]; ok {
			out[i], deleted[i] = e, value == ""
			continue
		}
		index[o.Key] = len(out)
		out = append(out, e)
		deleted = append(deleted, value == "")
	}
	kept := make([]types.BaseOptionValue, 0, len(out))
	for i, e := range out {
		if !deleted[i] {
			kept = append(kept, e)
		}
	}
	return kept
}

func optionString(o types.BaseOptionValue) string {
	switch v := o.GetOptionValue().Value.(type) {
	case nil:
		return ""
	case string:
		return v
	default:
		return fmt.Sprint(v)
	}
}

// guestView is the VM's configuration as its guest reads it: every extraConfig key, hidden ones included.
func (c *vmConfigs) guestView(ref types.ManagedObjectReference) map[string]string {
	out := map[string]string{}
	vm, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine)
	if !ok {
		return out
	}
	simulator.Map.WithLock(vm, func() {
		if vm.Config == nil {
			return
		}
		for _, o := range vm.Config.ExtraConfig {
			out[o.GetOptionValue().Key] = optionString(o)
		}
	})
	c.mu.Lock()
	for k, v := range c.hidden[ref] {
		out[k] = v
	}
	c.mu.Unlock()
	return out
}

func (c *vmConfigs) forget(ref types.ManagedObjectReference) {
	c.mu.Lock()
	delete(c.hidden, ref)
	c.mu.Unlock()
}
