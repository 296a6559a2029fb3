package main

import (
	"strings"
	"testing"

	"github.com/vmware/govmomi/vim25/types"
)

func opts(kv ...string) []types.BaseOptionValue {
	var out []types.BaseOptionValue
	for i := 0; i < len(kv); i += 2 {
		out = append(out, &types.OptionValue{Key: kv[i], Value: kv[i+1]})
	}
	return out
}

func TestMergeExtraConfigReplacesDeletesAndHides(t *testing.T) {
	hidden := map[string]string{}
	got := mergeExtraConfig(opts("a", "1", "b", "2", "guestinfo.ovfEnv", "k1", "a", "one", "b", "", "c", "3",
		"guestinfo.ovfEnv", "k2"), hidden)
	var flat []string
	for _, o := range got {
		flat = append(flat, o.GetOptionValue().Key+"="+optionString(o))
	}
	if want := "a=one c=3"; strings.Join(flat, " ") != want {
		t.Errorf("got %q, want %q", strings.Join(flat, " "), want)
	}
	if hidden["guestinfo.ovfEnv"] != "k2" {
		t.Errorf("hidden %v", hidden)
	}
	mergeExtraConfig(opts("guestinfo.ovfEnv", ""), hidden)
	if _, ok := hidden["guestinfo.ovfEnv"]; ok {
		t.Error("an empty value deletes a hidden key too")
	}
}

func TestVMXEscapes(t *testing.T) {
	if got := vmxEscape("a|b\"c\nd"); got != "a|7Cb|22c|0Ad" {
		t.Errorf("got %q", got)
	}
}
