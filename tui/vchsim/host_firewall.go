package main

import (
	"github.com/vmware/govmomi/simulator"
	"github.com/vmware/govmomi/vim25/types"
)

// vcsim 0.24.2 gives every host's HostFirewallSystem a shallow copy of one esx.HostFirewallInfo: the
// rulesets are one shared slice, so EnableRuleset/DisableRuleset on one host changes them on every host.
// separateHostFirewalls gives each host its own rulesets (and rules, and allowed hosts), as on real ESXi,
// so a site can have hosts whose firewall opens outbound TCP 2377 (the vSPC ruleset) and hosts whose does not.
func separateHostFirewalls() {
	for _, e := range simulator.Map.All("HostSystem") {
		host, ok := e.(*simulator.HostSystem)
		if !ok || host.ConfigManager.FirewallSystem == nil {
			continue
		}
		fw, ok := simulator.Map.Get(*host.ConfigManager.FirewallSystem).(*simulator.HostFirewallSystem)
		if !ok || fw.FirewallInfo == nil {
			continue
		}
		fw.FirewallInfo = copyFirewallInfo(fw.FirewallInfo)
	}
}

func copyFirewallInfo(in *types.HostFirewallInfo) *types.HostFirewallInfo {
	out := *in
	out.Ruleset = make([]types.HostFirewallRuleset, len(in.Ruleset))
	for i, rs := range in.Ruleset {
		rs.Rule = append([]types.HostFirewallRule(nil), rs.Rule...)
		if rs.AllowedHosts != nil {
			allowed := *rs.AllowedHosts
			allowed.IpAddress = append([]string(nil), allowed.IpAddress...)
			allowed.IpNetwork = append([]types.HostFirewallRulesetIpNetwork(nil), allowed.IpNetwork...)
			rs.AllowedHosts = &allowed
		}
		out.Ruleset[i] = rs
	}
	return &out
}
