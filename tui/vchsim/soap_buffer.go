package main

import (
	"bytes"
	"net/http"
	"regexp"

	"github.com/vmware/govmomi/vim25/types"
)

// bufferedResponse holds vcsim's answer to one SOAP call so the rig can adjust the simulator's state
// (extraConfig semantics, .vmx contents) before the client sees the reply.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func newBufferedResponse() *bufferedResponse { return &bufferedResponse{header: http.Header{}} }

func (b *bufferedResponse) Header() http.Header         { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *bufferedResponse) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}

func (b *bufferedResponse) flushTo(w http.ResponseWriter) {
	for k, v := range b.header {
		w.Header()[k] = v
	}
	if b.status != 0 {
		w.WriteHeader(b.status)
	}
	_, _ = w.Write(b.body.Bytes())
}

var taskReturnval = regexp.MustCompile(`<returnval type="Task">([^<]+)</returnval>`)

// returnedTask is the Task moref in a *_Task reply (false for a fault).
func (b *bufferedResponse) returnedTask() (types.ManagedObjectReference, bool) {
	m := taskReturnval.FindSubmatch(b.body.Bytes())
	if m == nil {
		return types.ManagedObjectReference{}, false
	}
	return types.ManagedObjectReference{Type: "Task", Value: string(m[1])}, true
}
