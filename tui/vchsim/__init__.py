"""vchsim: the project's vSphere simulator and what runs on it. It sits above tui.core (which never imports
it) and below the front ends (the `demo` command uses it).

Python:
  simulator.py  build (GOPATH mode, cached by the Go sources' hash) and run `vchsim`; inventory names
  scenario.py   the seed story as per-VM counter series in the simulator's format
  story.py      the shipped recording of the seed story (recordings/); story_file.py: where it is
  demo_seed.py  seed a simulator with the story's two VCHs, with plain pyvmomi
  demo.py       the demo rig: simulator + seed + placeholder ISOs, stopped on SIGINT/SIGTERM

Go (package main, on Debian's govmomi simulator library): main.go (flags, start), inventory.go (the test
inventory, mirrored in simulator.py), cert.go (its own certificate), control.go (the control API under
/vchsim/), faults.go (fault injection per SOAP method), perf_scenario.go (per-VM QueryPerf series), scale.go
(many container-like VMs), soap_wrap.go (per call: latency, session check, fault injection).
"""
