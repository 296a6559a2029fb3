package main

import (
	"bytes"
	"fmt"
	"reflect"
	"regexp"
	"strconv"
	"strings"
	"sync"

	"github.com/vmware/govmomi/vim25"
	"github.com/vmware/govmomi/vim25/types"
	"github.com/vmware/govmomi/vim25/xml"
)

// Fault injection: an armed entry makes the next `count` calls of one SOAP method (or of one HTTP
// method + path prefix, key "PUT /folder") fail. Entries for the same key queue up in arming order.
//
//	stage "call" (default): the SOAP call itself answers with a fault envelope.
//	stage "task": the *_Task call succeeds and returns a Task that is already in state error with the
//	              fault (what pyVim.task.WaitForTask raises); the real method does not run.
type armedFault struct {
	Method    string `json:"method"`
	Fault     string `json:"fault"`
	Message   string `json:"message"`
	Count     int    `json:"count"` // remaining calls; -1 = until cleared
	Stage     string `json:"stage"`
	httpVerb  string
	httpPath  string
	faultType reflect.Type
}

type faultRegistry struct {
	mu    sync.Mutex
	armed map[string][]*armedFault
	fired map[string]int
	total int
}

func newFaultRegistry() *faultRegistry {
	return &faultRegistry{armed: map[string][]*armedFault{}, fired: map[string]int{}}
}

var baseMethodFault = reflect.TypeOf((*types.BaseMethodFault)(nil)).Elem()

// faultTypeByName accepts "SystemError", "vmodl.fault.SystemError", "vim.fault.InvalidState".
func faultTypeByName(name string) (reflect.Type, error) {
	short := name
	if i := strings.LastIndex(short, "."); i >= 0 {
		short = short[i+1:]
	}
	t, ok := types.TypeFunc()(short)
	if !ok || t.Kind() != reflect.Struct || !reflect.PtrTo(t).Implements(baseMethodFault) {
		return nil, fmt.Errorf("fault %q is not a vSphere fault type (e.g. SystemError, InvalidState, NotAuthenticated, TaskInProgress)", name)
	}
	return t, nil
}

// prepare validates an entry coming from the control API and fills its defaults.
func (f *armedFault) prepare() error {
	if f.Method == "" {
		return fmt.Errorf("fault: \"method\" is required (a SOAP method such as CreateVM_Task, or \"PUT /folder\")")
	}
	if f.Count == 0 {
		f.Count = 1
	}
	if f.Count < -1 {
		return fmt.Errorf("fault: \"count\" must be >= 1, or -1 for until cleared; got %d", f.Count)
	}
	if verb, p, ok := strings.Cut(f.Method, " "); ok {
		if verb != strings.ToUpper(verb) || !strings.HasPrefix(p, "/") {
			return fmt.Errorf("fault: HTTP method key must look like \"PUT /folder\", got %q", f.Method)
		}
		f.httpVerb, f.httpPath = verb, p
		if f.Fault == "" {
			f.Fault = "500"
		}
		if code, err := strconv.Atoi(f.Fault); err != nil || code < 400 || code > 599 {
			return fmt.Errorf("fault: for %q, \"fault\" must be an HTTP status 400-599, got %q", f.Method, f.Fault)
		}
		if f.Stage != "" {
			return fmt.Errorf("fault: \"stage\" applies to SOAP methods only")
		}
		if f.Message == "" {
			f.Message = "vchsim injected HTTP " + f.Fault
		}
		return nil
	}
	if _, ok := types.TypeFunc()(f.Method); !ok {
		return fmt.Errorf("fault: %q is not a vSphere SOAP method (names are case-sensitive, e.g. CreateVM_Task, CreateFolder)", f.Method)
	}
	if f.Fault == "" {
		f.Fault = "SystemError"
	}
	t, err := faultTypeByName(f.Fault)
	if err != nil {
		return fmt.Errorf("fault: %v", err)
	}
	f.faultType = t
	f.Fault = t.Name()
	switch f.Stage {
	case "":
		f.Stage = "call"
	case "call":
	case "task":
		if !strings.HasSuffix(f.Method, "_Task") {
			return fmt.Errorf("fault: stage \"task\" needs a *_Task method, got %q", f.Method)
		}
	default:
		return fmt.Errorf("fault: \"stage\" must be \"call\" or \"task\", got %q", f.Stage)
	}
	if f.Message == "" {
		f.Message = fmt.Sprintf("vchsim injected %s in %s", f.Fault, f.Method)
	}
	return nil
}

func (r *faultRegistry) arm(f *armedFault) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.armed[f.Method] = append(r.armed[f.Method], f)
}

// take consumes one shot for key; nil when nothing is armed.
func (r *faultRegistry) take(key string) *armedFault {
	r.mu.Lock()
	defer r.mu.Unlock()
	queue := r.armed[key]
	if len(queue) == 0 {
		return nil
	}
	f := queue[0]
	shot := *f
	if f.Count > 0 {
		f.Count--
		if f.Count == 0 {
			queue = queue[1:]
		}
	}
	if len(queue) == 0 {
		delete(r.armed, key)
	} else {
		r.armed[key] = queue
	}
	r.fired[key]++
	r.total++
	return &shot
}

// takeHTTP matches "VERB /prefix" keys against a plain HTTP request.
func (r *faultRegistry) takeHTTP(verb, urlPath string) *armedFault {
	r.mu.Lock()
	var key string
	for k, queue := range r.armed {
		if len(queue) > 0 && queue[0].httpVerb == verb && strings.HasPrefix(urlPath, queue[0].httpPath) {
			key = k
			break
		}
	}
	r.mu.Unlock()
	if key == "" {
		return nil
	}
	return r.take(key)
}

func (r *faultRegistry) clear(method string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if method != "" {
		delete(r.armed, method)
		return
	}
	r.armed = map[string][]*armedFault{}
	r.fired = map[string]int{}
	r.total = 0
}

type faultState struct {
	Armed      []armedFault   `json:"armed"`
	Fired      map[string]int `json:"fired"`
	FiredTotal int            `json:"fired_total"`
}

func (r *faultRegistry) state() faultState {
	r.mu.Lock()
	defer r.mu.Unlock()
	st := faultState{Armed: []armedFault{}, Fired: map[string]int{}, FiredTotal: r.total}
	for _, queue := range r.armed {
		for _, f := range queue {
			st.Armed = append(st.Armed, *f)
		}
	}
	for k, v := range r.fired {
		st.Fired[k] = v
	}
	return st
}

// newFault builds the fault value. Reason (SystemError and friends) carries the message and the
// "object"/"entity" fields point at the called object; other required fields stay empty and are dropped
// from the XML (see stripEmpty), because clients reject an empty enum or a reference of the wrong type.
func newFault(t reflect.Type, message string, this types.ManagedObjectReference) types.BaseMethodFault {
	v := reflect.New(t)
	fillFault(v.Elem(), message, this)
	return v.Interface().(types.BaseMethodFault)
}

var morefType = reflect.TypeOf(types.ManagedObjectReference{})

func fillFault(v reflect.Value, message string, this types.ManagedObjectReference) {
	for i := 0; i < v.NumField(); i++ {
		f := v.Field(i)
		sf := v.Type().Field(i)
		switch {
		case !sf.IsExported():
		case sf.Type == morefType && (sf.Name == "Object" || sf.Name == "Obj" || sf.Name == "Entity"):
			if this.Type != "" {
				f.Set(reflect.ValueOf(this))
			}
		case sf.Anonymous && f.Kind() == reflect.Struct:
			fillFault(f, message, this)
		case sf.Name == "Reason" && f.Kind() == reflect.String:
			f.SetString(message)
		}
	}
}

var emptyElement = regexp.MustCompile(`<(\w+)(?: type="")?></(\w+)>`)

// stripEmpty removes elements with neither content nor a type (a required field left at its zero value).
func stripEmpty(out []byte) []byte {
	for {
		next := emptyElement.ReplaceAllFunc(out, func(m []byte) []byte {
			sub := emptyElement.FindSubmatch(m)
			if string(sub[1]) != string(sub[2]) {
				return m
			}
			return nil
		})
		if len(next) == len(out) {
			return next
		}
		out = next
	}
}

// The envelope types below copy vcsim's (simulator.go), which are unexported.
type soapEnvelope struct {
	XMLName xml.Name    `xml:"soapenv:Envelope"`
	Enc     string      `xml:"xmlns:soapenc,attr"`
	Env     string      `xml:"xmlns:soapenv,attr"`
	XSD     string      `xml:"xmlns:xsd,attr"`
	XSI     string      `xml:"xmlns:xsi,attr"`
	Body    interface{} `xml:"soapenv:Body"`
}

type soapFault struct {
	XMLName xml.Name `xml:"soapenv:Fault"`
	Code    string   `xml:"faultcode"`
	String  string   `xml:"faultstring"`
	Detail  struct {
		Fault *faultDetail
	} `xml:"detail"`
}

type faultDetail struct {
	Fault types.AnyType
}

// MarshalXML renames the detail element to "${Type}Fault" with xsi:type, as vCenter does.
func (d *faultDetail) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	kind := reflect.TypeOf(d.Fault).Elem().Name()
	start.Name.Local = kind + "Fault"
	start.Attr = append(start.Attr,
		xml.Attr{Name: xml.Name{Local: "xmlns"}, Value: "urn:" + vim25.Namespace},
		xml.Attr{Name: xml.Name{Local: "xsi:type"}, Value: kind})
	return e.EncodeElement(d.Fault, start)
}

func encodeEnvelope(body interface{}) ([]byte, error) {
	var out bytes.Buffer
	out.WriteString(xml.Header)
	e := xml.NewEncoder(&out)
	err := e.Encode(&soapEnvelope{
		Enc:  "http://schemas.xmlsoap.org/soap/encoding/",
		Env:  "http://schemas.xmlsoap.org/soap/envelope/",
		XSD:  "http://www.w3.org/2001/XMLSchema",
		XSI:  "http://www.w3.org/2001/XMLSchema-instance",
		Body: body,
	})
	if err == nil {
		err = e.Flush()
	}
	return out.Bytes(), err
}

func faultEnvelope(fault types.BaseMethodFault, message string) ([]byte, error) {
	f := &soapFault{Code: "ServerFaultCode", String: message}
	f.Detail.Fault = &faultDetail{Fault: fault}
	out, err := encodeEnvelope(struct{ Fault *soapFault }{f})
	return stripEmpty(out), err
}

// taskResponse is the reply of a *_Task method: <{Method}Response><returnval type="Task">..</returnval>.
type taskResponse struct {
	XMLName   xml.Name
	Returnval types.ManagedObjectReference `xml:"returnval"`
}

func taskEnvelope(method string, task types.ManagedObjectReference) ([]byte, error) {
	res := &taskResponse{
		XMLName:   xml.Name{Space: "urn:" + vim25.Namespace, Local: method + "Response"},
		Returnval: task,
	}
	return encodeEnvelope(struct{ Res *taskResponse }{res})
}
