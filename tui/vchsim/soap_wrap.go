package main

import (
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"log"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// rig wraps vcsim's HTTP handler. Per SOAP call, in this order: latency, session check, fault injection,
// then vcsim. /vchsim/* is the control API (control.go) and never touches the vSphere session.
type rig struct {
	next     http.Handler
	control  http.Handler
	client   *vim25.Client // in-process client (internal session, bypasses this wrapper)
	username string
	strict   bool

	faults   *faultRegistry
	scenario *scenarioStore
	disabled *disabledMethods
	configs  *vmConfigs
	standIn  *standIn

	delayMs     int64 // atomic
	delayMu     sync.Mutex
	methodDelay map[string]int

	sessionsMu sync.Mutex
	sessions   map[string]struct{} // session keys handed out in Set-Cookie
}

// Methods a real vCenter answers without a session. vcsim 0.24.2 also lets RetrieveProperties(Ex),
// Fetch and List through, so a terminated session would go unnoticed; strict mode answers those with
// NotAuthenticated like vCenter does.
var sessionless = map[string]bool{
	"RetrieveServiceContent":          true,
	"Login":                           true,
	"LoginByToken":                    true,
	"LoginExtensionByCertificate":     true,
	"LoginExtensionBySubjectName":     true,
	"CloneSession":                    true,
	"PbmRetrieveServiceContent":       true,
	"RetrieveServiceProviderEntities": true,
}

// anonymousAllowed: the login methods, and reading ServiceInstance properties (pyvmomi's lazy
// `si.content` is a Fetch on the ServiceInstance; its content is public like RetrieveServiceContent).
func anonymousAllowed(call soapCall) bool {
	return sessionless[call.method] || (call.method == "Fetch" && call.this.Type == "ServiceInstance")
}

func (r *rig) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	p := req.URL.Path
	switch {
	case p == "/vchsim" || strings.HasPrefix(p, "/vchsim/"):
		r.control.ServeHTTP(w, req)
	case req.Method == http.MethodPost && (p == vim25.Path || p == vim25.Path+"/vimService"):
		r.serveSOAP(w, req)
	case strings.HasPrefix(p, "/folder"):
		r.serveFolder(w, req)
	default:
		r.next.ServeHTTP(w, req)
	}
}

type soapCall struct {
	method string
	this   types.ManagedObjectReference
}

// parseSOAPCall finds the method element inside soapenv:Body and its _this.
func parseSOAPCall(body []byte) (soapCall, bool) {
	d := xml.NewDecoder(bytes.NewReader(body))
	inBody := false
	for {
		tok, err := d.Token()
		if err != nil {
			return soapCall{}, false
		}
		start, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if !inBody {
			inBody = start.Name.Local == "Body"
			continue
		}
		var m struct {
			This struct {
				Type  string `xml:"type,attr"`
				Value string `xml:",chardata"`
			} `xml:"_this"`
		}
		if err := d.DecodeElement(&m, &start); err != nil {
			return soapCall{method: start.Name.Local}, true
		}
		return soapCall{method: start.Name.Local, this: types.ManagedObjectReference{Type: m.This.Type, Value: strings.TrimSpace(m.This.Value)}}, true
	}
}

func (r *rig) serveSOAP(w http.ResponseWriter, req *http.Request) {
	body, err := io.ReadAll(io.LimitReader(req.Body, 256<<20))
	_ = req.Body.Close()
	if err != nil {
		w.WriteHeader(http.StatusBadRequest)
		return
	}
	call, ok := parseSOAPCall(body)
	req.Body = io.NopCloser(bytes.NewReader(body))
	if !ok {
		r.next.ServeHTTP(w, req) // vcsim answers malformed requests itself
		return
	}

	if d := r.delayFor(call.method); d > 0 {
		time.Sleep(d)
	}

	if r.strict && !anonymousAllowed(call) && !r.sessionActive(req) {
		fault := &types.NotAuthenticated{NoPermission: types.NoPermission{Object: call.this, PrivilegeId: "System.View"}}
		r.writeFault(w, fault, "The session is not authenticated.")
		return
	}

	if f := r.faults.take(call.method); f != nil {
		log.Printf("vchsim: injecting %s (%s stage) into %s", f.Fault, f.Stage, call.method)
		fault := newFault(f.faultType, f.Message, call.this)
		if f.Stage == "task" {
			r.writeFailedTask(w, call, fault, f.Message)
		} else {
			r.writeFault(w, fault, f.Message)
		}
		return
	}

	switch {
	case (call.method == "DisableMethods" || call.method == "EnableMethods") && call.this.Type == "AuthorizationManager":
		r.serveDisableEnable(w, call, body)
		return
	case call.method == "PowerOnMultiVM_Task" && call.this.Type == "Datacenter":
		r.servePowerOnMulti(w, call, body)
		return
	}
	if source, blocked := r.disabled.blockedBy(call.this, call.method); blocked {
		r.writeFault(w, &types.MethodDisabled{Source: source}, "The method is disabled by '"+source+"'")
		return
	}
	if call.method == "CreateVM_Task" || call.method == "ReconfigVM_Task" {
		r.serveConfigWrite(w, req, call)
		return
	}
	if call.method == "AddVirtualSwitch" {
		r.serveAddVirtualSwitch(w, req, call, body)
		return
	}

	r.next.ServeHTTP(w, req)
	r.trackSessions(w.Header())
	if call.method == "Logout" {
		r.sessionsMu.Lock()
		delete(r.sessions, sessionCookie(req))
		r.sessionsMu.Unlock()
	}
}

// serveConfigWrite lets vcsim run CreateVM_Task/ReconfigVM_Task, then gives the VM's extraConfig vCenter's
// semantics and writes its .vmx before the reply leaves (vcsim runs these tasks to completion in the call).
func (r *rig) serveConfigWrite(w http.ResponseWriter, req *http.Request, call soapCall) {
	buf := newBufferedResponse()
	r.next.ServeHTTP(buf, req)
	if ref, ok := buf.returnedTask(); ok {
		if task, ok := simulator.Map.Get(ref).(*simulator.Task); ok {
			vm := call.this
			if call.method == "CreateVM_Task" {
				vm, _ = task.Info.Result.(types.ManagedObjectReference)
			}
			if task.Info.State == types.TaskInfoStateSuccess && vm.Type == "VirtualMachine" {
				r.configs.settle(vm)
			}
		}
	}
	buf.flushTo(w)
	r.trackSessions(w.Header())
}

func (r *rig) writeFault(w http.ResponseWriter, fault types.BaseMethodFault, message string) {
	out, err := faultEnvelope(fault, message)
	if err != nil {
		log.Printf("vchsim: encoding fault: %v", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	w.WriteHeader(http.StatusInternalServerError)
	_, _ = w.Write(out)
}

// writeFailedTask answers a *_Task call with a Task that already failed with fault.
func (r *rig) writeFailedTask(w http.ResponseWriter, call soapCall, fault types.BaseMethodFault, message string) {
	entity := simulator.Map.Get(call.this)
	if entity == nil {
		r.writeFault(w, &types.ManagedObjectNotFound{Obj: call.this}, "managed object not found: "+call.this.String())
		return
	}
	name := strings.TrimSuffix(call.method, "_Task")
	name = string(unicode.ToLower(rune(name[0]))) + name[1:]
	task := simulator.CreateTask(entity, name, func(*simulator.Task) (types.AnyType, types.BaseMethodFault) {
		return nil, fault
	})
	ref := task.Run()
	// vcsim sets localizedMessage to the Go type name; give clients the armed message instead.
	simulator.Map.Update(task, []types.PropertyChange{{Name: "info.error", Val: types.LocalizedMethodFault{
		Fault: fault, LocalizedMessage: message,
	}}})
	writeTaskReply(w, call.method, ref)
}

// writeTaskReply answers a *_Task call with its Task moref.
func writeTaskReply(w http.ResponseWriter, method string, task types.ManagedObjectReference) {
	out, err := taskEnvelope(method, task)
	if err != nil {
		log.Printf("vchsim: encoding task reply: %v", err)
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/xml; charset=utf-8")
	_, _ = w.Write(out)
}

// serveFolder guards datastore file access (/folder/PATH?dcPath=..&dsName=..): injected HTTP faults and,
// in strict mode, a valid session cookie like vCenter requires (401 otherwise).
func (r *rig) serveFolder(w http.ResponseWriter, req *http.Request) {
	if f := r.faults.takeHTTP(req.Method, req.URL.Path); f != nil {
		log.Printf("vchsim: injecting HTTP %s into %s %s", f.Fault, req.Method, req.URL.Path)
		code, err := strconv.Atoi(f.Fault)
		if err != nil {
			code = http.StatusInternalServerError
		}
		http.Error(w, f.Message, code)
		return
	}
	if r.strict && !r.sessionActive(req) {
		http.Error(w, "vchsim: datastore access needs a vSphere session cookie (vmware_soap_session)", http.StatusUnauthorized)
		return
	}
	r.next.ServeHTTP(w, req)
}

func (r *rig) delayFor(method string) time.Duration {
	ms := atomic.LoadInt64(&r.delayMs)
	r.delayMu.Lock()
	ms += int64(r.methodDelay[method])
	r.delayMu.Unlock()
	return time.Duration(ms) * time.Millisecond
}

func (r *rig) setDelay(ms int, perMethod map[string]int) {
	atomic.StoreInt64(&r.delayMs, int64(ms))
	r.delayMu.Lock()
	r.methodDelay = perMethod
	r.delayMu.Unlock()
}

func sessionCookie(req *http.Request) string {
	c, err := req.Cookie(soap.SessionCookieName)
	if err != nil {
		return ""
	}
	return c.Value
}

func (r *rig) sessionActive(req *http.Request) bool {
	key := sessionCookie(req)
	if key == "" {
		return false
	}
	if simulator.Map.IsESX() {
		// ESXi does not implement SessionIsActive (nor does vcsim's ESX model): the sessions this rig handed
		// out and that neither logged out nor were terminated are the live ones.
		r.sessionsMu.Lock()
		_, live := r.sessions[key]
		r.sessionsMu.Unlock()
		return live
	}
	ctx := &simulator.Context{Context: context.Background(), Map: simulator.Map}
	res := simulator.Map.SessionManager().SessionIsActive(ctx, &types.SessionIsActive{SessionID: key, UserName: r.username})
	body, ok := res.(*methods.SessionIsActiveBody)
	return ok && body.Res != nil && body.Res.Returnval
}

func (r *rig) trackSessions(h http.Header) {
	for _, c := range (&http.Response{Header: h}).Cookies() {
		if c.Name == soap.SessionCookieName && c.Value != "" {
			r.sessionsMu.Lock()
			r.sessions[c.Value] = struct{}{}
			r.sessionsMu.Unlock()
		}
	}
}

// terminateSessions ends every session handed out so far, through vcsim's own TerminateSession.
func (r *rig) terminateSessions(ctx context.Context) int {
	r.sessionsMu.Lock()
	keys := make([]string, 0, len(r.sessions))
	for k := range r.sessions {
		keys = append(keys, k)
	}
	r.sessions = map[string]struct{}{}
	r.sessionsMu.Unlock()

	sm := r.client.ServiceContent.SessionManager
	n := 0
	for _, k := range keys {
		_, err := methods.TerminateSession(ctx, r.client, &types.TerminateSession{This: *sm, SessionId: []string{k}})
		if err == nil {
			n++ // NotFound means the client logged out already
		}
	}
	return n
}
