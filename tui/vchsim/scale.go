package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
)

const (
	scalePoolName   = "scale"
	scaleFolderName = "scale"
	scaleVMPrefix   = "scale-"
)

// scaleVMName names VM i like a VIC container VM, "{name}-{id}" with a 12-hex id. The id is derived
// from i so every run has the same names.
func scaleVMName(i int) string {
	sum := sha256.Sum256([]byte("vchsim-scale-" + strconv.Itoa(i)))
	return scaleVMPrefix + hex.EncodeToString(sum[:])[:12]
}

// createScaleVMs adds pool Cluster/Resources/scale, folder vm/scale and n powered-on VMs (1 vCPU,
// 512 MB, one vmxnet3 NIC on vch-bridge, files on datastore1) through the in-process client.
func createScaleVMs(ctx context.Context, c *vim25.Client, inv *inventory, n int) error {
	root, err := inv.cluster.ResourcePool(ctx)
	if err != nil {
		return err
	}
	pool, err := root.Create(ctx, scalePoolName, types.DefaultResourceConfigSpec())
	if err != nil {
		return fmt.Errorf("create pool %s: %w", scalePoolName, err)
	}
	folder, err := inv.folders.VmFolder.CreateFolder(ctx, scaleFolderName)
	if err != nil {
		return fmt.Errorf("create folder %s: %w", scaleFolderName, err)
	}
	bridge := object.NewDistributedVirtualPortgroup(c, inv.portGroups["vch-bridge"])
	backing, err := bridge.EthernetCardBackingInfo(ctx)
	if err != nil {
		return err
	}
	nic, err := object.VirtualDeviceList{}.CreateEthernetCard("vmxnet3", backing)
	if err != nil {
		return err
	}
	devices, err := object.VirtualDeviceList{nic}.ConfigSpec(types.VirtualDeviceConfigSpecOperationAdd)
	if err != nil {
		return err
	}

	for i := 0; i < n; i++ {
		spec := types.VirtualMachineConfigSpec{
			Name:         scaleVMName(i),
			GuestId:      string(types.VirtualMachineGuestOsIdentifierOtherLinux64Guest),
			NumCPUs:      1,
			MemoryMB:     512,
			Files:        &types.VirtualMachineFileInfo{VmPathName: "[" + sharedDSNames[0] + "]"},
			DeviceChange: devices,
		}
		task, err := folder.CreateVM(ctx, spec, pool, nil)
		if err != nil {
			return err
		}
		info, err := task.WaitForResult(ctx, nil)
		if err != nil {
			return fmt.Errorf("create VM %s: %w", spec.Name, err)
		}
		vm := object.NewVirtualMachine(c, info.Result.(types.ManagedObjectReference))
		if task, err = vm.PowerOn(ctx); err == nil {
			err = task.Wait(ctx)
		}
		if err != nil {
			return fmt.Errorf("power on %s: %w", spec.Name, err)
		}
	}
	inv.ScalePool = scalePoolName
	inv.ScaleFolder = scaleFolderName
	inv.ScaleVMs = n
	return nil
}
