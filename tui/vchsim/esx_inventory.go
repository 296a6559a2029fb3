package main

import (
	"context"
	"fmt"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/simulator/esx"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// The ESX scenario (-model esx): govmomi's ESX model, a standalone ESXi host answering as itself
// (about.apiType HostAgent), as vic-machine sees a standalone host target (mirrored in tui/vchsim/simulator.py):
//
//	ha-datacenter                 the host's only datacenter; VMs go in its vm folder (no VM folders on ESXi)
//	  host/<host>                 the host's compute resource, root pool "Resources"
//	  datastore/datastore1        the host's local datastore
//	  network/VM Network          on vSwitch0, as on every ESXi
//	  network/esx-existing-pg     a standard port group on vSwitch0 that exists before any VCH (never removed)
//
// Port groups and vSwitches are the host's HostNetworkSystem's (AddVirtualSwitch/AddPortGroup work on it).
const (
	esxDatastoreName  = "datastore1"
	esxExistingPGName = "esx-existing-pg"
	esxVSwitch0       = "vSwitch0"
)

func buildESXInventory(ctx context.Context, c *vim25.Client, dataDir string) (*inventory, error) {
	host := object.NewHostSystem(c, esx.HostSystem.Reference())
	dc := object.NewDatacenter(c, esx.Datacenter.Reference())
	folders, err := dc.Folders(ctx)
	if err != nil {
		return nil, err
	}
	// The model's datacenter template lists a datastore the model only makes with Datastore > 0: drop it, so
	// Datacenter.datastore names only real datastores (as on ESXi), then add the rig's own.
	dcObj := simulator.Map.Get(dc.Reference()).(*simulator.Datacenter)
	var existing []types.ManagedObjectReference
	for _, ref := range dcObj.Datastore {
		if simulator.Map.Get(ref) != nil {
			existing = append(existing, ref)
		}
	}
	dcObj.Datastore = existing
	if err := createDatastore(ctx, dataDir, esxDatastoreName, []*object.HostSystem{host}); err != nil {
		return nil, err
	}
	ns, err := host.ConfigManager().NetworkSystem(ctx)
	if err != nil {
		return nil, err
	}
	err = ns.AddPortGroup(ctx, types.HostPortGroupSpec{Name: esxExistingPGName, VswitchName: esxVSwitch0})
	if err != nil {
		return nil, fmt.Errorf("add port group %s: %w", esxExistingPGName, err)
	}
	hs := simulator.Map.Get(host.Reference()).(*simulator.HostSystem)
	return &inventory{
		Model:          "esx",
		Datacenter:     esx.Datacenter.Name,
		StandaloneHost: hs.Name,
		Datastores:     []string{esxDatastoreName},
		PortGroups:     []string{esxExistingPGName},
		VMNetwork:      vmNetworkName,
		folders:        folders,
		portGroups:     map[string]types.ManagedObjectReference{},
	}, nil
}
