package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"log"
	"net/http"
	"sort"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/mo"
	"github.com/vmware/govmomi/vim25/types"
	vxml "github.com/vmware/govmomi/vim25/xml"
)

// AuthorizationManager.DisableMethods/EnableMethods, which vcsim 0.24.2 lacks. vCenter serves them in the
// internal namespace urn:internalvim25 (pyVmomi has no binding; vic-machine calls them to protect its VMs).
// A method is disabled per (entity, method, sourceId): EnableMethods with the same sourceId lifts that
// source's block, and the method stays disabled while another source still blocks it. The entity's
// disabledMethod property lists the blocked methods, and calling one answers the MethodDisabled fault
// ("The method is disabled by 'VIC'") before the method runs, as vCenter does.
type disabledMethods struct {
	mu sync.Mutex
	// entity -> method -> sourceId -> reasonId
	blocks map[types.ManagedObjectReference]map[string]map[string]string
	seen   map[types.ManagedObjectReference]map[string]bool // methods this registry ever listed per entity
}

func newDisabledMethods() *disabledMethods {
	return &disabledMethods{
		blocks: map[types.ManagedObjectReference]map[string]map[string]string{},
		seen:   map[types.ManagedObjectReference]map[string]bool{},
	}
}

const internalNamespace = "urn:internalvim25"

type methodAction struct {
	Method   string `xml:"method"`
	ReasonID string `xml:"reasonId"`
}

// disableEnableBody is either call's body; DisableMethods nests {method, reasonId} in <method>, EnableMethods
// lists plain <method> names. Both shapes decode into Method (the inner text of a plain one lands in Text).
type disableEnableBody struct {
	This     string `xml:"_this"`
	Entities []struct {
		Type  string `xml:"type,attr"`
		Value string `xml:",chardata"`
	} `xml:"entity"`
	Methods []struct {
		Text string `xml:",chardata"`
		methodAction
	} `xml:"method"`
	SourceID string `xml:"sourceId"`
}

func parseDisableEnable(body []byte, method string) (*disableEnableBody, error) {
	d := xml.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := d.Token()
		if err != nil {
			return nil, fmt.Errorf("%s: no %s element in the SOAP body", method, method)
		}
		if start, ok := tok.(xml.StartElement); ok && start.Name.Local == method {
			var b disableEnableBody
			if err := d.DecodeElement(&b, &start); err != nil {
				return nil, fmt.Errorf("%s: %v", method, err)
			}
			return &b, nil
		}
	}
}

// serveDisableEnable answers DisableMethods/EnableMethods itself (vcsim would say MethodNotFound).
func (r *rig) serveDisableEnable(w http.ResponseWriter, call soapCall, body []byte) {
	req, err := parseDisableEnable(body, call.method)
	if err != nil {
		r.writeFault(w, &types.InvalidRequest{}, err.Error())
		return
	}
	var entities []types.ManagedObjectReference
	for _, e := range req.Entities {
		ref := types.ManagedObjectReference{Type: e.Type, Value: strings.TrimSpace(e.Value)}
		obj := simulator.Map.Get(ref)
		if _, ok := obj.(mo.Entity); !ok {
			r.writeFault(w, &types.ManagedObjectNotFound{Obj: ref}, "The object '"+ref.String()+"' has already been deleted or has not been completely created")
			return
		}
		entities = append(entities, ref)
	}
	source := strings.TrimSpace(req.SourceID)
	for _, ref := range entities {
		for _, m := range req.Methods {
			name := strings.TrimSpace(m.Method)
			if name == "" {
				name = strings.TrimSpace(m.Text)
			}
			if name == "" {
				continue
			}
			if call.method == "DisableMethods" {
				r.disabled.disable(ref, name, source, strings.TrimSpace(m.ReasonID))
			} else {
				r.disabled.enable(ref, name, source)
			}
		}
		r.disabled.publish(ref)
	}
	log.Printf("%s %v by %q on %d entities", call.method, methodNames(req), source, len(entities))
	out, err := encodeEnvelope(struct {
		Res *struct {
			XMLName vxml.Name
		}
	}{&struct{ XMLName vxml.Name }{vxml.Name{Space: internalNamespace, Local: call.method + "Response"}}})
	if err != nil {
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(out)
}

func methodNames(b *disableEnableBody) []string {
	var out []string
	for _, m := range b.Methods {
		out = append(out, strings.TrimSpace(m.Method+m.Text))
	}
	return out
}

func (d *disabledMethods) disable(ref types.ManagedObjectReference, method, source, reason string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.blocks[ref] == nil {
		d.blocks[ref] = map[string]map[string]string{}
	}
	if d.blocks[ref][method] == nil {
		d.blocks[ref][method] = map[string]string{}
	}
	d.blocks[ref][method][source] = reason
}

func (d *disabledMethods) enable(ref types.ManagedObjectReference, method, source string) {
	d.mu.Lock()
	defer d.mu.Unlock()
	delete(d.blocks[ref][method], source)
	if len(d.blocks[ref][method]) == 0 {
		delete(d.blocks[ref], method)
	}
}

// blockedBy returns the sourceId that blocks method on ref ("" when it is enabled).
func (d *disabledMethods) blockedBy(ref types.ManagedObjectReference, method string) (string, bool) {
	d.mu.Lock()
	defer d.mu.Unlock()
	sources := d.blocks[ref][method]
	if len(sources) == 0 {
		return "", false
	}
	names := make([]string, 0, len(sources))
	for s := range sources {
		names = append(names, s)
	}
	sort.Strings(names)
	return names[0], true
}

// publish writes the entity's disabledMethod property: vcsim's own entries, minus the ones this registry
// put there and no longer blocks, plus every blocked method.
func (d *disabledMethods) publish(ref types.ManagedObjectReference) {
	obj, ok := simulator.Map.Get(ref).(mo.Entity)
	if !ok {
		return
	}
	d.mu.Lock()
	if d.seen[ref] == nil {
		d.seen[ref] = map[string]bool{}
	}
	blocked := map[string]bool{}
	for m := range d.blocks[ref] {
		blocked[m] = true
		d.seen[ref][m] = true
	}
	ours := map[string]bool{}
	for m := range d.seen[ref] {
		ours[m] = true
	}
	d.mu.Unlock()
	simulator.Map.WithLock(obj, func() {
		list := []string{}
		for _, m := range obj.Entity().DisabledMethod {
			if !ours[m] {
				list = append(list, m)
			}
		}
		for m := range blocked {
			list = append(list, m)
		}
		sort.Strings(list)
		simulator.Map.Update(obj, []types.PropertyChange{{Name: "disabledMethod", Val: list}})
	})
}
