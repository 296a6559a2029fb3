package main

import (
	"bytes"
	"encoding/xml"
	"net/http"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// vcsim 0.24.2's AddVirtualSwitch keeps only the switch's name; ESXi keeps its spec. serveAddVirtualSwitch lets
// vcsim add the switch, then records the requested spec (numPorts, as vic-machine's 1024) on it, so a client
// reads back what it asked for.
type addVirtualSwitchRequest struct {
	VswitchName string `xml:"vswitchName"`
	Spec        *struct {
		NumPorts int32 `xml:"numPorts"`
		Mtu      int32 `xml:"mtu"`
	} `xml:"spec"`
}

func (r *rig) serveAddVirtualSwitch(w http.ResponseWriter, req *http.Request, call soapCall, body []byte) {
	buf := newBufferedResponse()
	r.next.ServeHTTP(buf, req)
	if buf.status == 0 || buf.status == http.StatusOK {
		if parsed, ok := parseAddVirtualSwitch(body); ok && parsed.Spec != nil {
			if ns, ok := simulator.Map.Get(call.this).(*simulator.HostNetworkSystem); ok && ns.NetworkInfo != nil {
				for i := range ns.NetworkInfo.Vswitch {
					s := &ns.NetworkInfo.Vswitch[i]
					if s.Name == parsed.VswitchName {
						s.NumPorts, s.Mtu = parsed.Spec.NumPorts, parsed.Spec.Mtu
						s.Spec = types.HostVirtualSwitchSpec{NumPorts: parsed.Spec.NumPorts, Mtu: parsed.Spec.Mtu}
					}
				}
			}
		}
	}
	buf.flushTo(w)
	r.trackSessions(w.Header())
}

func parseAddVirtualSwitch(body []byte) (addVirtualSwitchRequest, bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return addVirtualSwitchRequest{}, false
		}
		if start, ok := tok.(xml.StartElement); ok && start.Name.Local == "AddVirtualSwitch" {
			var out addVirtualSwitchRequest
			return out, d.DecodeElement(&out, &start) == nil
		}
	}
}
