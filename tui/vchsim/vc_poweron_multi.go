package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"net/http"
	"strings"

	"github.com/vmware/govmomi/object"
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// Datacenter.PowerOnMultiVM_Task as vCenter answers it: the task's result is a ClusterPowerOnVmResult
// listing each VM with its own power-on task (attempted) or the fault that kept it off (notAttempted).
// vcsim 0.24.2 powers the VMs on but returns no result, and vic-machine then fails with "Unexpected
// return type when attempting to power on VM: <nil>".
func (r *rig) servePowerOnMulti(w http.ResponseWriter, call soapCall, body []byte) {
	dc, ok := simulator.Map.Get(call.this).(*simulator.Datacenter)
	if !ok {
		r.writeFault(w, &types.ManagedObjectNotFound{Obj: call.this}, "managed object not found: "+call.this.String())
		return
	}
	vms := parseMorefs(body, "vm")
	task := simulator.CreateTask(dc, "powerOnMultiVM", func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		var res types.ClusterPowerOnVmResult
		for _, ref := range vms {
			if _, ok := simulator.Map.Get(ref).(*simulator.VirtualMachine); !ok {
				res.NotAttempted = append(res.NotAttempted, types.ClusterNotAttemptedVmInfo{
					Vm: ref, Fault: types.LocalizedMethodFault{Fault: &types.ManagedObjectNotFound{Obj: ref},
						LocalizedMessage: "managed object not found: " + ref.String()}})
				continue
			}
			if source, blocked := r.disabled.blockedBy(ref, "PowerOnVM_Task"); blocked {
				msg := "The method is disabled by '" + source + "'"
				res.NotAttempted = append(res.NotAttempted, types.ClusterNotAttemptedVmInfo{
					Vm: ref, Fault: types.LocalizedMethodFault{Fault: &types.MethodDisabled{Source: source}, LocalizedMessage: msg}})
				continue
			}
			t, err := object.NewVirtualMachine(r.client, ref).PowerOn(context.Background())
			if err != nil {
				res.NotAttempted = append(res.NotAttempted, types.ClusterNotAttemptedVmInfo{
					Vm: ref, Fault: types.LocalizedMethodFault{Fault: &types.SystemError{Reason: err.Error()}, LocalizedMessage: err.Error()}})
				continue
			}
			taskRef := t.Reference()
			res.Attempted = append(res.Attempted, types.ClusterAttemptedVmInfo{Vm: ref, Task: &taskRef})
		}
		return res, nil
	})
	writeTaskReply(w, call.method, task.Run())
}

// parseMorefs collects <name type="T">value</name> elements of a SOAP body.
func parseMorefs(body []byte, name string) []types.ManagedObjectReference {
	var out []types.ManagedObjectReference
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return out
		}
		start, ok := tok.(xml.StartElement)
		if !ok || start.Name.Local != name {
			continue
		}
		var ref struct {
			Type  string `xml:"type,attr"`
			Value string `xml:",chardata"`
		}
		if d.DecodeElement(&ref, &start) == nil && ref.Type != "" {
			out = append(out, types.ManagedObjectReference{Type: ref.Type, Value: strings.TrimSpace(ref.Value)})
		}
	}
}
