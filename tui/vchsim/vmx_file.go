package main

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
)

// The VM's .vmx on the datastore (vcsim leaves it empty): `key = "value"` lines, a few hardware facts and
// every extraConfig key, guestinfo.ovfEnv included (vic-machine downloads the .vmx to read that key).
// Values use the .vmx escapes: '|' becomes |7C, '"' becomes |22, control characters |XX.
type vmxFile struct {
	path  string
	lines []string
}

func newVMXFile(vm *simulator.VirtualMachine, extra map[string]string) vmxFile {
	var p object.DatastorePath
	if vm.Config.Files.VmPathName == "" || !p.FromString(vm.Config.Files.VmPathName) || !strings.HasSuffix(p.Path, ".vmx") {
		return vmxFile{}
	}
	dir := datastoreDir(p.Datastore)
	if dir == "" {
		return vmxFile{}
	}
	f := vmxFile{path: filepath.Join(dir, filepath.FromSlash(p.Path))}
	f.add(".encoding", "UTF-8")
	f.add("config.version", "8")
	f.add("virtualHW.version", strings.TrimPrefix(vm.Config.Version, "vmx-"))
	f.add("displayName", vm.Name)
	f.add("guestOS", vm.Config.GuestId)
	f.add("memSize", fmt.Sprint(vm.Config.Hardware.MemoryMB))
	f.add("numvcpus", fmt.Sprint(vm.Config.Hardware.NumCPU))
	f.add("uuid.bios", vm.Config.Uuid)
	f.add("vc.uuid", vm.Config.InstanceUuid)
	keys := make([]string, 0, len(extra))
	for k := range extra {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		f.add(k, extra[k])
	}
	return f
}

func (f *vmxFile) add(key, value string) {
	f.lines = append(f.lines, fmt.Sprintf("%s = \"%s\"", key, vmxEscape(value)))
}

func vmxEscape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == '|' || c == '"' || c < 0x20 || c == 0x7f {
			fmt.Fprintf(&b, "|%02X", c)
		} else {
			b.WriteByte(c)
		}
	}
	return b.String()
}

// write replaces the file atomically (a reader never sees half of it). No path: nothing to write.
func (f vmxFile) write() error {
	if f.path == "" {
		return nil
	}
	tmp := f.path + ".vchsim-tmp"
	if err := os.WriteFile(tmp, []byte(strings.Join(f.lines, "\n")+"\n"), 0o600); err != nil {
		return err
	}
	return os.Rename(tmp, f.path)
}

func datastoreDir(name string) string {
	for _, e := range simulator.Map.All("Datastore") {
		ds := e.(*simulator.Datastore)
		if ds.Name == name {
			return ds.Info.GetDatastoreInfo().Url
		}
	}
	return ""
}
