"""Raw QueryPerf: the request pyvmomi would send, and parsing real replies (vcsim captures, vCenter shapes)."""

import re

import pytest
from pyVmomi import SoapAdapter, vim

from tui.core.metrics import counters, perfxml
from tui.core.metrics.model import ContainerMetrics
from tui.core.metrics.perfxml import PerfQueryFault, build_query_perf, metric_ids_xml, parse_query_perf
from tui.core.metrics.thresholds import evaluate

# Captured from vcsim 0.24.2 (VPX model): 2 VMs x the 13 dashboard counters, maxSample=2. Samples are
# newest first; zero series (costop, maxlimited, balloon, swapped, swap-in, latency) come back empty.
VCSIM_REPLY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/s'
    b'oap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.or'
    b'g/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><QueryPerfResp'
    b'onse xmlns="urn:vim25"><returnval xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instanc'
    b'e" XMLSchema-instance:type="PerfEntityMetric"><entity type="VirtualMachine">vm-39</entity><sampleInf'
    b"o><timestamp>2026-11-29T05:21:39.897654868Z</timestamp><interval>20</interval></sampleInfo><sampleIn"
    b"fo><timestamp>2026-11-29T05:21:19.897654868Z</timestamp><interval>20</interval></sampleInfo><value X"
    b'MLSchema-instance:type="PerfMetricIntSeries"><id><counterId>6</counterId><instance></instance></id><'
    b'value>299</value><value>286</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id>'
    b"<counterId>398</counterId><instance></instance></id><value>414</value><value>306</value></value><val"
    b'ue XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>397</counterId><instance></instance>'
    b'</id><value>53</value><value>51</value></value><value XMLSchema-instance:type="PerfMetricIntSeries">'
    b"<id><counterId>12</counterId><instance></instance></id><value>127</value><value>157</value></value><"
    b'value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>399</counterId><instance></instan'
    b'ce></id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>400</counterId><'
    b'instance></instance></id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId'
    b">98</counterId><instance></instance></id><value>10870998</value><value>11523690</value></value><valu"
    b'e XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>33</counterId><instance></instance></'
    b'id><value>3405385</value><value>1896249</value></value><value XMLSchema-instance:type="PerfMetricInt'
    b'Series"><id><counterId>423</counterId><instance></instance></id><value>14299424</value><value>106506'
    b'23</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>90</counterId>'
    b'<instance></instance></id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterI'
    b'd>70</counterId><instance></instance></id></value><value XMLSchema-instance:type="PerfMetricIntSerie'
    b's"><id><counterId>85</counterId><instance></instance></id></value><value XMLSchema-instance:type="Pe'
    b'rfMetricIntSeries"><id><counterId>422</counterId><instance></instance></id></value></returnval><retu'
    b'rnval xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="'
    b'PerfEntityMetric"><entity type="VirtualMachine">vm-42</entity><sampleInfo><timestamp>2026-11-29T05:2'
    b"1:39.897667283Z</timestamp><interval>20</interval></sampleInfo><sampleInfo><timestamp>2026-11-29T05:"
    b'21:19.897667283Z</timestamp><interval>20</interval></sampleInfo><value XMLSchema-instance:type="Perf'
    b'MetricIntSeries"><id><counterId>6</counterId><instance></instance></id><value>301</value><value>289<'
    b'/value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>398</counterId><i'
    b'nstance></instance></id><value>375</value><value>239</value></value><value XMLSchema-instance:type="'
    b'PerfMetricIntSeries"><id><counterId>397</counterId><instance></instance></id><value>49</value><value'
    b'>44</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>12</counterId'
    b"><instance></instance></id><value>146</value><value>113</value></value><value XMLSchema-instance:typ"
    b'e="PerfMetricIntSeries"><id><counterId>399</counterId><instance></instance></id></value><value XMLSc'
    b'hema-instance:type="PerfMetricIntSeries"><id><counterId>400</counterId><instance></instance></id></v'
    b'alue><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>98</counterId><instance></i'
    b'nstance></id><value>9835944</value><value>13451784</value></value><value XMLSchema-instance:type="Pe'
    b'rfMetricIntSeries"><id><counterId>33</counterId><instance></instance></id><value>2601707</value><val'
    b'ue>3892633</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>423</c'
    b"ounterId><instance></instance></id><value>10779415</value><value>11141787</value></value><value XMLS"
    b'chema-instance:type="PerfMetricIntSeries"><id><counterId>90</counterId><instance></instance></id></v'
    b'alue><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>70</counterId><instance></i'
    b'nstance></id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>85</counter'
    b'Id><instance></instance></id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><count'
    b"erId>422</counterId><instance></instance></id></value></returnval></QueryPerfResponse></soapenv:Body"
    b"></soapenv:Envelope>"
)

# vcsim's reply when one spec names an entity type without perf data (captured).
VCSIM_FAULT = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/s'
    b'oap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.or'
    b'g/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><soapenv:Fault'
    b"><faultcode>ServerFaultCode</faultcode><faultstring></faultstring><detail><InvalidArgumentFault xmln"
    b's="urn:vim25" xsi:type="InvalidArgument"><invalidProperty>Entity</invalidProperty></InvalidArgumentF'
    b"ault></detail></soapenv:Fault></soapenv:Body></soapenv:Envelope>"
)

ENVELOPE = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope '
    'xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body>{}</soapenv:Body></soapenv:Envelope>'
)


def vcenter_reply(*entities: str) -> bytes:
    return ENVELOPE.format(
        '<QueryPerfResponse xmlns="urn:vim25">' + "".join(entities) + "</QueryPerfResponse>"
    ).encode()


def entity(moid, stamps, series):
    """A PerfEntityMetric as a real vCenter writes it (xsi prefix, oldest sample first)."""
    infos = "".join(f"<sampleInfo><timestamp>{t}</timestamp><interval>20</interval></sampleInfo>" for t in stamps)
    values = "".join(
        f'<value xsi:type="PerfMetricIntSeries"><id><counterId>{cid}</counterId><instance>{inst}</instance></id>'
        + "".join(f"<value>{v}</value>" for v in vals)
        + "</value>"
        for cid, inst, vals in series
    )
    return (
        f'<returnval xsi:type="PerfEntityMetric"><entity type="VirtualMachine">{moid}</entity>'
        f"{infos}{values}</returnval>"
    )


def pyvmomi_request(vms, counter_ids, max_sample):
    stub = SoapAdapter.SoapStubAdapter(host="127.0.0.1", port=1, version="vim.version.version13")
    pm = vim.PerformanceManager("PerfMgr", stub)
    specs = [
        vim.PerformanceManager.QuerySpec(
            entity=vim.VirtualMachine(vm),
            maxSample=max_sample,
            intervalId=20,
            metricId=[vim.PerformanceManager.MetricId(counterId=c, instance="") for c in counter_ids],
        )
        for vm in vms
    ]
    return stub.SerializeRequest(pm, pm._GetMethodInfo("QueryStats"), [specs])


@pytest.mark.parametrize("max_sample", [1, 2])
def test_request_is_what_pyvmomi_sends(max_sample):
    vms, ids = ["vm-1", "vm-42"], [12, 6, 399]
    ours = build_query_perf(vms, metric_ids_xml(ids), perf_manager="PerfMgr", max_sample=max_sample)
    theirs = re.sub(rb' versionId="[^"]*"', b"", pyvmomi_request(vms, ids, max_sample))
    assert ours == theirs


def test_request_size_limit_and_chunks():
    with pytest.raises(ValueError, match="256"):
        build_query_perf([f"vm-{i}" for i in range(257)], metric_ids_xml([12]))
    assert [len(c) for c in perfxml.chunks([f"vm-{i}" for i in range(1000)])] == [256, 256, 256, 232]
    assert list(perfxml.chunks([])) == []
    with pytest.raises(ValueError):
        list(perfxml.chunks(["vm-1"], 257))


def test_request_escapes_text():
    body = build_query_perf(["vm-<1>&"], metric_ids_xml([12]), perf_manager="Perf&Mgr")
    assert b"vm-&lt;1&gt;&amp;" in body and b">Perf&amp;Mgr<" in body


def test_vcsim_reply_newest_first_and_dropped_zeros():
    values = parse_query_perf(VCSIM_REPLY)
    assert set(values) == {"vm-39", "vm-42"}
    vm = values["vm-39"]
    assert len(vm) == 13
    # first value of each pair: the sampleInfo with the later timestamp is listed first
    assert (vm[6], vm[398], vm[397], vm[12], vm[98], vm[33], vm[423]) == (
        299,
        414,
        53,
        127,
        10870998,
        3405385,
        14299424,
    )
    assert (vm[399], vm[400], vm[90], vm[70], vm[85], vm[422]) == (0, 0, 0, 0, 0, 0)
    assert values["vm-42"][12] == 146


def test_vcenter_reply_oldest_first_and_minus_one():
    reply = vcenter_reply(
        entity(
            "vm-7",
            ["2024-05-01T10:00:00Z", "2024-05-01T10:00:20Z"],
            [(12, "", [100, 5600]), (90, "", [217088, -1]), (6, "*", [1, 2]), (6, "0", [3, 4]), (6, "", [400, 410])],
        )
    )
    assert parse_query_perf(reply) == {"vm-7": {12: 5600, 90: None, 6: 410}}


def test_newest_timestamp_wins_with_differing_precision():
    # "…:20Z" sorts before "…:19.9Z" as text; as time it is later
    reply = vcenter_reply(
        entity("vm-7", ["2024-05-01T10:00:19.900000001Z", "2024-05-01T10:00:20Z"], [(12, "", [1, 2])])
    )
    assert parse_query_perf(reply)["vm-7"][12] == 2


def test_short_series_is_read_in_sample_order_and_missing_positions_are_zero():
    reply = vcenter_reply(
        entity("vm-7", ["2024-05-01T10:00:00Z", "2024-05-01T10:00:20Z"], [(12, "", [300]), (13, "", [])])
    )
    assert parse_query_perf(reply)["vm-7"] == {12: 0, 13: 0}


def test_entity_without_samples_and_missing_series():
    reply = vcenter_reply(entity("vm-off", [], []), entity("vm-on", ["2024-05-01T10:00:00Z"], [(12, "", [7])]))
    assert parse_query_perf(reply) == {"vm-off": {}, "vm-on": {12: 7}}
    assert parse_query_perf(vcenter_reply()) == {}


def test_vcsim_fault_is_raised_with_its_type_and_fields():
    with pytest.raises(PerfQueryFault) as err:
        parse_query_perf(VCSIM_FAULT)
    assert err.value.fault == "InvalidArgument"
    assert "invalidProperty Entity" in str(err.value)
    assert not err.value.session_expired


def test_expired_session_fault():
    fault = ENVELOPE.format(
        "<soapenv:Fault><faultcode>ServerFaultCode</faultcode><faultstring>The session is not authenticated."
        '</faultstring><detail><NotAuthenticatedFault xmlns="urn:vim25" xsi:type="NotAuthenticated">'
        '<object type="PerformanceManager">PerfMgr</object><privilegeId>System.View</privilegeId>'
        "</NotAuthenticatedFault></detail></soapenv:Fault>"
    ).encode()
    with pytest.raises(PerfQueryFault) as err:
        parse_query_perf(fault)
    assert err.value.session_expired
    assert str(err.value) == "QueryPerf failed: NotAuthenticated (The session is not authenticated.)"


@pytest.mark.parametrize(
    "body, words",
    [
        (b"<html><body>503 Service Unavailable</body></html>", "no SOAP Body"),
        (b"", "not XML"),
        (
            b"<?xml version='1.0'?><soapenv:Envelope xmlns:soapenv='http://schemas.xmlsoap.org/soap/envelope/'>",
            "not XML",
        ),
        (ENVELOPE.format("<Other xmlns='urn:vim25'/>").encode(), "no QueryPerfResponse"),
        # A series without its counterId, or an empty sample, once escaped as TypeError past the per-chunk guard.
        (
            vcenter_reply(
                entity("vm-7", ["2024-05-01T10:00:00Z"], [(12, "", [7])]).replace("<counterId>12</counterId>", "")
            ),
            "counterId None",
        ),
        (vcenter_reply(entity("vm-7", ["2024-05-01T10:00:00Z"], [(12, "", [""])])), "value None"),
        (vcenter_reply(entity("vm-7", ["2024-05-01T10:00:00Z"], [(12, "", ["many"])])), "value 'many'"),
    ],
)
def test_garbage_is_an_invalid_reply(body, words):
    with pytest.raises(PerfQueryFault) as err:
        parse_query_perf(body)
    assert err.value.fault == "InvalidReply" and words in str(err.value)


def test_large_reply_all_values():
    ids = list(range(1, 14))
    reply = vcenter_reply(
        *(entity(f"vm-{i}", ["2024-05-01T10:00:00Z"], [(c, "", [i * 100 + c]) for c in ids]) for i in range(1000))
    )
    values = parse_query_perf(reply)
    assert len(values) == 1000
    assert values["vm-999"] == {c: 99900 + c for c in ids}


# Captured from the team simulator (tui/vchsim) serving the steady seed story: vm-61 plays cpu-stress,
# vm-64 mem-stress; VPX counter ids (6 usagemhz, 12 ready, 400 maxlimited, 90 vmmemctl, 422 latency ...).
RIG_STORY_REPLY = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n<soapenv:Envelope xmlns:soapenc="http://schemas.xmlsoap.org/s'
    b'oap/encoding/" xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.or'
    b'g/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><soapenv:Body><QueryPerfResp'
    b'onse xmlns="urn:vim25"><returnval xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instanc'
    b'e" XMLSchema-instance:type="PerfEntityMetric"><entity type="VirtualMachine">vm-61</entity><sampleInf'
    b"o><timestamp>2026-11-29T05:25:51.794740074Z</timestamp><interval>20</interval></sampleInfo><value XM"
    b'LSchema-instance:type="PerfMetricIntSeries"><id><counterId>6</counterId><instance></instance></id><v'
    b'alue>410</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>398</cou'
    b'nterId><instance></instance></id><value>4200</value></value><value XMLSchema-instance:type="PerfMetr'
    b'icIntSeries"><id><counterId>397</counterId><instance></instance></id><value>420</value></value><valu'
    b'e XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>12</counterId><instance></instance></'
    b'id><value>15200</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>3'
    b'99</counterId><instance></instance></id><value>1600</value></value><value XMLSchema-instance:type="P'
    b'erfMetricIntSeries"><id><counterId>400</counterId><instance></instance></id><value>14000</value></va'
    b'lue><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>98</counterId><instance></in'
    b'stance></id><value>184320</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><c'
    b"ounterId>33</counterId><instance></instance></id><value>92160</value></value><value XMLSchema-instan"
    b'ce:type="PerfMetricIntSeries"><id><counterId>423</counterId><instance></instance></id><value>194560<'
    b'/value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>90</counterId><in'
    b'stance></instance></id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>7'
    b'0</counterId><instance></instance></id></value><value XMLSchema-instance:type="PerfMetricIntSeries">'
    b'<id><counterId>85</counterId><instance></instance></id></value><value XMLSchema-instance:type="PerfM'
    b'etricIntSeries"><id><counterId>422</counterId><instance></instance></id></value></returnval><returnv'
    b'al xmlns:XMLSchema-instance="http://www.w3.org/2001/XMLSchema-instance" XMLSchema-instance:type="Per'
    b'fEntityMetric"><entity type="VirtualMachine">vm-64</entity><sampleInfo><timestamp>2026-11-29T05:25:5'
    b'1.794747964Z</timestamp><interval>20</interval></sampleInfo><value XMLSchema-instance:type="PerfMetr'
    b'icIntSeries"><id><counterId>6</counterId><instance></instance></id><value>55</value></value><value X'
    b'MLSchema-instance:type="PerfMetricIntSeries"><id><counterId>398</counterId><instance></instance></id'
    b'><value>60</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>397</c'
    b'ounterId><instance></instance></id><value>80</value></value><value XMLSchema-instance:type="PerfMetr'
    b'icIntSeries"><id><counterId>12</counterId><instance></instance></id><value>240</value></value><value'
    b' XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>399</counterId><instance></instance></'
    b'id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>400</counterId><insta'
    b'nce></instance></id></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>98</'
    b'counterId><instance></instance></id><value>307200</value></value><value XMLSchema-instance:type="Per'
    b'fMetricIntSeries"><id><counterId>33</counterId><instance></instance></id><value>296960</value></valu'
    b'e><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>423</counterId><instance></ins'
    b'tance></id><value>317440</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><co'
    b"unterId>90</counterId><instance></instance></id><value>241664</value></value><value XMLSchema-instan"
    b'ce:type="PerfMetricIntSeries"><id><counterId>70</counterId><instance></instance></id><value>122880</'
    b'value></value><value XMLSchema-instance:type="PerfMetricIntSeries"><id><counterId>85</counterId><ins'
    b'tance></instance></id><value>300</value></value><value XMLSchema-instance:type="PerfMetricIntSeries"'
    b"><id><counterId>422</counterId><instance></instance></id><value>4000</value></value></returnval></Qu"
    b"eryPerfResponse></soapenv:Body></soapenv:Envelope>"
)
VPX_IDS = {
    "cpu.usagemhz.average": 6,
    "cpu.demand.average": 398,
    "cpu.entitlement.latest": 397,
    "cpu.ready.summation": 12,
    "cpu.costop.summation": 399,
    "cpu.maxlimited.summation": 400,
    "mem.consumed.average": 98,
    "mem.active.average": 33,
    "mem.entitlement.average": 423,
    "mem.vmmemctl.average": 90,
    "mem.swapped.average": 70,
    "mem.swapinRate.average": 85,
    "mem.latency.average": 422,
}


def test_rig_reply_through_the_formulas_and_thresholds():
    values = parse_query_perf(RIG_STORY_REPLY)
    rows = {}
    for moid, vcpus in (("vm-61", 2), ("vm-64", 1)):
        raw = {name: values[moid].get(cid) for name, cid in VPX_IDS.items()}
        rows[moid] = ContainerMetrics(**counters.display_values(raw, vcpus=vcpus))
    cpu, mem = rows["vm-61"], rows["vm-64"]
    assert (cpu.cpu_usage_mhz, cpu.cpu_ready_pct, cpu.cpu_costop_pct, cpu.cpu_maxlimited_pct) == (410, 38, 4, 35)
    assert (cpu.mem_consumed_mb, cpu.mem_balloon_mb, cpu.mem_latency_pct) == (180, 0, 0)  # 0s were dropped
    assert evaluate(cpu) == ("crit", ("CPU ready 38% per vCPU", "co-stop 4%", "throttled by CPU limit 35% of the time"))
    assert (mem.mem_balloon_mb, mem.mem_swapped_mb, mem.mem_swapin_kbps, mem.mem_latency_pct) == (236, 120, 300, 40)
    assert evaluate(mem) == (
        "crit",
        ("swapped 120 MB", "swapping in 300 KB/s", "memory latency 40%", "ballooning 236 MB"),
    )
