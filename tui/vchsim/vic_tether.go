package main

import (
	"fmt"
	"net"
	"strconv"

	"github.com/vmware/govmomi/vim25/types"
)

// The tether's network setup (lib/tether: setNetworks, ApplyEndpoint), acting on the configuration only:
//   - each endpoint in init/networks names its NIC by PCI slot (Common/id, decimal); the tether finds the
//     link by slot, and a slot no NIC occupies is an error;
//   - DHCP when the endpoint is not static and names no IP; a static endpoint with IP 0.0.0.0 (the bridge)
//     is "managed externally" and left alone; endpoints sharing a slot share the NIC and its address;
//   - one failing endpoint stops the tether before it publishes anything: no assigned.IP at all and no
//     session starts (setNetworks returns the error, Encode and processSessions never run).
//
// Addresses are loopback stand-ins (vic_loopback.go) for what DHCP or the static configuration would give.
type interfaceState struct {
	Role string `json:"role"`
	Slot string `json:"slot"`
	Mode string `json:"mode"` // dhcp, static, external
	IP   string `json:"ip,omitempty"`
	Mask string `json:"mask,omitempty"`
	Note string `json:"note,omitempty"`
}

type tetherResult struct {
	Interfaces []interfaceState
	Assigned   map[string]*net.IPNet // role -> address, for the roles that got one
	Taken      []net.IP              // loopback addresses to release on power-off
}

func nicSlots(devices []types.BaseVirtualDevice) map[int32]bool {
	slots := map[int32]bool{}
	for _, d := range devices {
		card, ok := d.(types.BaseVirtualEthernetCard)
		if !ok {
			continue
		}
		if info, ok := card.GetVirtualEthernetCard().SlotInfo.(*types.VirtualDevicePciBusSlotInfo); ok {
			slots[info.PciSlotNumber] = true
		}
	}
	return slots
}

func applyNetworks(cfg *applianceConfig, slots map[int32]bool, pool *loopbackPool, probePort int) (*tetherResult, error) {
	res := &tetherResult{Assigned: map[string]*net.IPNet{}}
	bySlot := map[string]*net.IPNet{}
	fail := func(err error) (*tetherResult, error) {
		for _, ip := range res.Taken {
			pool.release(ip)
		}
		return res, err
	}
	for _, role := range sortedKeys(cfg.Networks) {
		e := cfg.Networks[role]
		st := interfaceState{Role: role, Slot: e.Slot}
		slot, err := strconv.Atoi(e.Slot)
		if err != nil {
			st.Note = "Common/id is not a PCI slot number"
			res.Interfaces = append(res.Interfaces, st)
			return fail(fmt.Errorf("network %s: endpoint ID must be a base10 numeric pci slot identifier, got %q", role, e.Slot))
		}
		if !slots[int32(slot)] {
			st.Note = "no NIC in this PCI slot"
			res.Interfaces = append(res.Interfaces, st)
			return fail(fmt.Errorf("network %s: unable to acquire reference to link %d: no NIC in PCI slot %d", role, slot, slot))
		}
		switch {
		case !e.dynamic() && e.IP != nil && e.IP.IP.Equal(net.IPv4zero):
			st.Mode, st.Note = "external", "static 0.0.0.0: managed externally (the port layer's bridge)"
		case bySlot[e.Slot] != nil:
			st.Mode, st.Note = modeOf(e), "shares the NIC (and its address) of another role"
			res.Assigned[role] = bySlot[e.Slot]
		case e.dynamic():
			ip, err := pool.dynamic(probePort)
			if err != nil {
				return fail(fmt.Errorf("network %s: %v", role, err))
			}
			st.Mode, st.Note = "dhcp", "DHCP stand-in: a free loopback address"
			res.Taken = append(res.Taken, ip)
			bySlot[e.Slot] = &net.IPNet{IP: ip, Mask: net.CIDRMask(8, 32)}
			res.Assigned[role] = bySlot[e.Slot]
		default:
			ip, ok := pool.static(e.IP.IP, probePort)
			st.Mode, st.Note = "static", "configured "+e.IP.String()+", served on its loopback equivalent"
			if !ok {
				if ip, err = pool.dynamic(probePort); err != nil {
					return fail(fmt.Errorf("network %s: %v", role, err))
				}
				st.Note = "configured " + e.IP.String() + "; its loopback equivalent is taken, so a free one"
			}
			mask := e.IP.Mask
			if mask == nil {
				mask = net.CIDRMask(8, 32)
			}
			res.Taken = append(res.Taken, ip)
			bySlot[e.Slot] = &net.IPNet{IP: ip, Mask: mask}
			res.Assigned[role] = bySlot[e.Slot]
		}
		if a := res.Assigned[role]; a != nil {
			st.IP, st.Mask = a.IP.String(), net.IP(a.Mask).String()
		}
		res.Interfaces = append(res.Interfaces, st)
	}
	return res, nil
}

func modeOf(e *endpointConfig) string {
	if e.dynamic() {
		return "dhcp"
	}
	return "static"
}

// publishKeys are the read-write keys the tether writes once the networks are up.
func (t *tetherResult) publishKeys() map[string]string {
	out := map[string]string{}
	for role, a := range t.Assigned {
		p := "init/networks|" + role + "/assigned/"
		out[rwKey(p+"IP")] = encodeIP(a.IP)
		out[rwKey(p+"Mask")] = encodeMask(a.Mask)
	}
	return out
}
