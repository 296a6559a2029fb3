package main

import (
	"encoding/json"
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/methods"
	"github.com/vmware/govmomi/vim25/soap"
	"github.com/vmware/govmomi/vim25/types"
)

// A contention scenario replaces the stock (noisy, zero for memory contention) perf data of matching VMs:
//
//	{"interval": 20, "vms": {"web-*": {"cpu.ready.summation": [4000, 3800], "mem.vmmemctl.average": [0, 512]}}}
//
// Keys of "vms" are VM names or path.Match globs; when several match, globs apply in lexical order and an
// exact name last, later ones overriding per counter. Counter keys are "group.name.rollup" and apply to
// every instance; "group.name.rollup:INSTANCE" applies to one instance only and wins over the plain key.
// The value of a sample with timestamp t is series[(t.Unix()/interval) % len(series)]: deterministic.
// Zeros are still dropped from the reply, like stock vcsim (PerfMetricIntSeries.Value is omitempty).
type scenarioSpec struct {
	Interval int64                         `json:"interval"`
	VMs      map[string]map[string][]int64 `json:"vms"`
}

const anyInstance = "\x00any"

type scenarioEntry struct {
	pattern string
	glob    bool
	series  map[int32]map[string][]int64 // counter key -> instance (or anyInstance) -> values
}

type scenario struct {
	spec     scenarioSpec
	interval int64
	entries  []scenarioEntry // globs sorted lexically, then exact names
}

// scenarioStore holds the active scenario; QueryPerf reads it, the control API replaces it.
type scenarioStore struct {
	mu       sync.RWMutex
	current  *scenario
	counters map[string][]int32 // "group.name.rollup" -> counter keys
}

func newScenarioStore(perfCounters []types.PerfCounterInfo) *scenarioStore {
	st := &scenarioStore{counters: map[string][]int32{}}
	for _, c := range perfCounters {
		name := c.GroupInfo.GetElementDescription().Key + "." + c.NameInfo.GetElementDescription().Key + "." + string(c.RollupType)
		st.counters[name] = append(st.counters[name], c.Key)
	}
	return st
}

// parse validates raw JSON; every problem names the offending key.
func (st *scenarioStore) parse(raw []byte) (*scenario, error) {
	var spec scenarioSpec
	dec := json.NewDecoder(strings.NewReader(string(raw)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&spec); err != nil {
		return nil, fmt.Errorf("scenario: invalid JSON (want {\"interval\": 20, \"vms\": {NAME: {COUNTER: [..]}}}): %v", err)
	}
	sc := &scenario{spec: spec, interval: spec.Interval}
	if sc.interval == 0 {
		sc.interval = 20
		sc.spec.Interval = 20
	}
	if sc.interval < 0 {
		return nil, fmt.Errorf("scenario: interval must be > 0 seconds, got %d", spec.Interval)
	}
	var globs, exact []scenarioEntry
	for pattern, counters := range spec.VMs {
		if _, err := path.Match(pattern, ""); err != nil {
			return nil, fmt.Errorf("scenario: vms key %q is not a valid glob: %v", pattern, err)
		}
		e := scenarioEntry{pattern: pattern, glob: strings.ContainsAny(pattern, "*?["), series: map[int32]map[string][]int64{}}
		for key, values := range counters {
			name, instance := key, anyInstance
			if i := strings.Index(key, ":"); i >= 0 {
				name, instance = key[:i], key[i+1:]
			}
			ids, ok := st.counters[name]
			if !ok {
				return nil, fmt.Errorf("scenario: vms[%q] counter %q is not a counter of this simulator (format group.name.rollup, e.g. cpu.ready.summation)", pattern, name)
			}
			if len(values) == 0 {
				return nil, fmt.Errorf("scenario: vms[%q][%q] is empty: give at least one value", pattern, key)
			}
			for _, v := range values {
				if v < 0 {
					return nil, fmt.Errorf("scenario: vms[%q][%q] has negative value %d", pattern, key, v)
				}
			}
			for _, id := range ids {
				if e.series[id] == nil {
					e.series[id] = map[string][]int64{}
				}
				e.series[id][instance] = values
			}
		}
		if e.glob {
			globs = append(globs, e)
		} else {
			exact = append(exact, e)
		}
	}
	sort.Slice(globs, func(i, j int) bool { return globs[i].pattern < globs[j].pattern })
	sc.entries = append(globs, exact...)
	return sc, nil
}

func (st *scenarioStore) set(sc *scenario) {
	st.mu.Lock()
	st.current = sc
	st.mu.Unlock()
}

func (st *scenarioStore) get() *scenario {
	st.mu.RLock()
	defer st.mu.RUnlock()
	return st.current
}

// forVM merges the series of every entry matching name (nil when none does).
func (sc *scenario) forVM(name string) map[int32]map[string][]int64 {
	var merged map[int32]map[string][]int64
	for _, e := range sc.entries {
		if e.glob {
			if ok, _ := path.Match(e.pattern, name); !ok {
				continue
			}
		} else if e.pattern != name {
			continue
		}
		if merged == nil {
			merged = map[int32]map[string][]int64{}
		}
		for id, byInstance := range e.series {
			if merged[id] == nil {
				merged[id] = map[string][]int64{}
			}
			for inst, values := range byInstance {
				merged[id][inst] = values
			}
		}
	}
	return merged
}

// scenarioPerfManager replaces the PerformanceManager in the registry. vcsim dispatches SOAP calls by
// reflection on the registered object, so this QueryPerf shadows the embedded one and every other
// method is promoted. The embedded value (not pointer) keeps vcsim's property collector working: it
// walks field 0 of wrapper types down to the mo.PerformanceManager.
type scenarioPerfManager struct {
	simulator.PerformanceManager
	store       *scenarioStore
	counterInfo map[int32]types.PerfCounterInfo
}

func installScenarioPerfManager(ref types.ManagedObjectReference, store *scenarioStore) {
	stock := simulator.Map.Get(ref).(*simulator.PerformanceManager)
	p := &scenarioPerfManager{PerformanceManager: *stock, store: store, counterInfo: map[int32]types.PerfCounterInfo{}}
	for _, c := range stock.PerfCounter {
		p.counterInfo[c.Key] = c
	}
	simulator.Map.Put(p)
}

func (p *scenarioPerfManager) QueryPerf(ctx *simulator.Context, req *types.QueryPerf) soap.HasFault {
	res := p.PerformanceManager.QueryPerf(ctx, req)
	sc := p.store.get()
	body, ok := res.(*methods.QueryPerfBody)
	if sc == nil || !ok || body.Fault_ != nil || body.Res == nil {
		return res
	}
	for i, qs := range req.QuerySpec {
		if qs.Entity.Type != "VirtualMachine" || i >= len(body.Res.Returnval) {
			continue
		}
		vm, ok := simulator.Map.Get(qs.Entity).(*simulator.VirtualMachine)
		if !ok {
			continue
		}
		var name string
		simulator.Map.WithLock(vm, func() { name = vm.Name })
		series := sc.forVM(name)
		metric, ok := body.Res.Returnval[i].(*types.PerfEntityMetric)
		if series == nil || !ok {
			continue
		}
		for j, mid := range qs.MetricId {
			values := series[mid.CounterId][mid.Instance]
			if values == nil {
				values = series[mid.CounterId][anyInstance]
			}
			s, ok := metric.Value[j].(*types.PerfMetricIntSeries)
			if values == nil || !ok {
				continue
			}
			for t, info := range metric.SampleInfo {
				idx := (info.Timestamp.Unix() / sc.interval) % int64(len(values))
				if idx < 0 {
					idx += int64(len(values))
				}
				s.Value[t] = values[idx]
			}
		}
	}
	return body
}

// QueryPerfCounter replaces vcsim 0.24.2's, which dereferences a nil response and drops the connection.
func (p *scenarioPerfManager) QueryPerfCounter(ctx *simulator.Context, req *types.QueryPerfCounter) soap.HasFault {
	body := &methods.QueryPerfCounterBody{Req: req, Res: new(types.QueryPerfCounterResponse)}
	for _, id := range req.CounterId {
		info, ok := p.counterInfo[id]
		if !ok {
			body.Res = nil
			body.Fault_ = simulator.Fault("", &types.InvalidArgument{InvalidProperty: "CounterId"})
			return body
		}
		body.Res.Returnval = append(body.Res.Returnval, info)
	}
	return body
}
