package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

// The rig's fixed inventory (mirrored as constants in tui/vchsim/simulator.py; keep both in sync):
//
//	Datacenter                         datacenter (dcPath for /folder uploads)
//	  host/Cluster                     cluster, DRS enabled (fully automated), root pool "Resources"
//	    esx-01 esx-02 esx-03           cluster hosts; each mounts datastore1 and datastore2
//	  host/esx-04                      standalone host; mounts only esx-04-local
//	  datastore/datastore1 datastore2  shared by the cluster hosts
//	  datastore/esx-04-local           NOT mounted on any cluster host ("not reachable" validation)
//	  network/VM Network               the standard port group vcsim gives every datacenter
//	  network/DSwitch                  distributed switch, all four hosts are members, port groups:
//	    vch-bridge vch-public vch-client vch-management containers dmz "Container Net"
//	    plus the uplink group "DSwitch-DVUplinks-<n>" vcsim adds to every switch.
//
// There are no VMs unless -vms N is given (see scale.go).
const (
	datacenterName     = "Datacenter"
	clusterName        = "Cluster"
	standaloneHostName = "esx-04"
	unreachableDSName  = "esx-04-local"
	dvsName            = "DSwitch"
	vmNetworkName      = "VM Network"
)

var (
	clusterHostNames = []string{"esx-01", "esx-02", "esx-03"}
	sharedDSNames    = []string{"datastore1", "datastore2"}
	portGroupNames   = []string{"vch-bridge", "vch-public", "vch-client", "vch-management", "containers", "dmz", "Container Net"}
)

// inventory describes what was built; it is part of the ready line.
type inventory struct {
	Model                string   `json:"model"` // "vpx" (this file) or "esx" (esx_inventory.go)
	Datacenter           string   `json:"datacenter"`
	Cluster              string   `json:"cluster"`
	ClusterHosts         []string `json:"cluster_hosts"`
	StandaloneHost       string   `json:"standalone_host"`
	Datastores           []string `json:"datastores"`
	UnreachableDatastore string   `json:"unreachable_datastore"`
	DVS                  string   `json:"dvs"`
	PortGroups           []string `json:"port_groups"`
	VMNetwork            string   `json:"vm_network"`
	ScalePool            string   `json:"scale_pool,omitempty"`
	ScaleFolder          string   `json:"scale_folder,omitempty"`
	ScaleVMs             int      `json:"scale_vms"`

	folders    *object.DatacenterFolders
	cluster    *object.ClusterComputeResource
	portGroups map[string]types.ManagedObjectReference
}

// buildInventory creates the inventory through the in-process client (no SOAP encoding), before the
// server listens. dataDir receives one directory per datastore.
func buildInventory(ctx context.Context, c *vim25.Client, dataDir string) (*inventory, error) {
	inv := &inventory{
		Model:                "vpx",
		Datacenter:           datacenterName,
		Cluster:              clusterName,
		ClusterHosts:         clusterHostNames,
		StandaloneHost:       standaloneHostName,
		Datastores:           sharedDSNames,
		UnreachableDatastore: unreachableDSName,
		DVS:                  dvsName,
		PortGroups:           portGroupNames,
		VMNetwork:            vmNetworkName,
		portGroups:           map[string]types.ManagedObjectReference{},
	}

	dc, err := object.NewRootFolder(c).CreateDatacenter(ctx, datacenterName)
	if err != nil {
		return nil, fmt.Errorf("create datacenter: %w", err)
	}
	if inv.folders, err = dc.Folders(ctx); err != nil {
		return nil, err
	}

	if inv.cluster, err = inv.folders.HostFolder.CreateCluster(ctx, clusterName, types.ClusterConfigSpecEx{}); err != nil {
		return nil, fmt.Errorf("create cluster: %w", err)
	}
	// vcsim enables DRS on every new cluster but ignores the spec; set the behaviour a VCH expects.
	enabled := true
	cfg := simulator.Map.Get(inv.cluster.Reference()).(*simulator.ClusterComputeResource).ConfigurationEx.(*types.ClusterConfigInfoEx)
	cfg.DrsConfig.Enabled = &enabled
	cfg.DrsConfig.DefaultVmBehavior = types.DrsBehaviorFullyAutomated

	var clusterHosts []*object.HostSystem
	for _, name := range clusterHostNames {
		task, err := inv.cluster.AddHost(ctx, types.HostConnectSpec{HostName: name}, true, nil, nil)
		if err != nil {
			return nil, err
		}
		host, err := waitHost(ctx, c, task)
		if err != nil {
			return nil, fmt.Errorf("add host %s: %w", name, err)
		}
		clusterHosts = append(clusterHosts, host)
	}
	task, err := inv.folders.HostFolder.AddStandaloneHost(ctx, types.HostConnectSpec{HostName: standaloneHostName}, true, nil, nil)
	if err != nil {
		return nil, err
	}
	standalone, err := waitHost(ctx, c, task)
	if err != nil {
		return nil, fmt.Errorf("add host %s: %w", standaloneHostName, err)
	}

	for _, name := range sharedDSNames {
		if err := createDatastore(ctx, dataDir, name, clusterHosts); err != nil {
			return nil, err
		}
	}
	if err := createDatastore(ctx, dataDir, unreachableDSName, []*object.HostSystem{standalone}); err != nil {
		return nil, err
	}

	if err := createDVS(ctx, c, inv, append(clusterHosts, standalone)); err != nil {
		return nil, err
	}
	return inv, nil
}

func waitHost(ctx context.Context, c *vim25.Client, task *object.Task) (*object.HostSystem, error) {
	info, err := task.WaitForResult(ctx, nil)
	if err != nil {
		return nil, err
	}
	return object.NewHostSystem(c, info.Result.(types.ManagedObjectReference)), nil
}

// createDatastore creates a local datastore on the first host and mounts the same object on the
// others. (vcsim's own model calls CreateLocalDatastore once per host, which leaves duplicate folder
// children and a datastore whose host list names only the last host.)
func createDatastore(ctx context.Context, dataDir, name string, hosts []*object.HostSystem) error {
	dir := filepath.Join(dataDir, name)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	dss, err := hosts[0].ConfigManager().DatastoreSystem(ctx)
	if err != nil {
		return err
	}
	created, err := dss.CreateLocalDatastore(ctx, name, dir)
	if err != nil {
		return fmt.Errorf("create datastore %s: %w", name, err)
	}
	ds := simulator.Map.Get(created.Reference()).(*simulator.Datastore)
	for _, h := range hosts[1:] {
		host := simulator.Map.Get(h.Reference()).(*simulator.HostSystem)
		sys := simulator.Map.Get(*host.ConfigManager.DatastoreSystem).(*simulator.HostDatastoreSystem)
		mounted, accessible := true, true
		ds.Host = append(ds.Host, types.DatastoreHostMount{
			Key: host.Self,
			MountInfo: types.HostMountInfo{
				AccessMode: string(types.HostMountModeReadWrite),
				Mounted:    &mounted,
				Accessible: &accessible,
			},
		})
		sys.Datastore = append(sys.Datastore, ds.Self)
		host.Datastore = sys.Datastore // as HostDatastoreSystem.add does for the first host
	}
	return nil
}

func createDVS(ctx context.Context, c *vim25.Client, inv *inventory, hosts []*object.HostSystem) error {
	var spec types.DVSCreateSpec
	spec.ConfigSpec = &types.VMwareDVSConfigSpec{}
	spec.ConfigSpec.GetDVSConfigSpec().Name = dvsName
	task, err := inv.folders.NetworkFolder.CreateDVS(ctx, spec)
	if err != nil {
		return err
	}
	info, err := task.WaitForResult(ctx, nil)
	if err != nil {
		return fmt.Errorf("create %s: %w", dvsName, err)
	}
	dvs := object.NewDistributedVirtualSwitch(c, info.Result.(types.ManagedObjectReference))

	members := &types.DVSConfigSpec{}
	for _, h := range hosts {
		members.Host = append(members.Host, types.DistributedVirtualSwitchHostMemberConfigSpec{
			Operation: string(types.ConfigSpecOperationAdd),
			Host:      h.Reference(),
		})
	}
	if task, err = dvs.Reconfigure(ctx, members); err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		return fmt.Errorf("add hosts to %s: %w", dvsName, err)
	}

	autoExpand := true
	var pgs []types.DVPortgroupConfigSpec
	for _, name := range portGroupNames {
		pgs = append(pgs, types.DVPortgroupConfigSpec{
			Name: name, Type: string(types.DistributedVirtualPortgroupPortgroupTypeEarlyBinding),
			NumPorts: 8, AutoExpand: &autoExpand,
		})
	}
	if task, err = dvs.AddPortgroup(ctx, pgs); err == nil {
		err = task.Wait(ctx)
	}
	if err != nil {
		return fmt.Errorf("add port groups: %w", err)
	}
	network := simulator.Map.Get(inv.folders.NetworkFolder.Reference()).(*simulator.Folder)
	for _, name := range portGroupNames {
		pg := simulator.Map.FindByName(name, network.ChildEntity)
		if pg == nil {
			return fmt.Errorf("port group %q missing after AddPortgroup", name)
		}
		inv.portGroups[name] = pg.Reference()
	}
	return nil
}
