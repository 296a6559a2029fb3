"""Talking to vSphere (pyvmomi is imported inside functions).

connection.py          ConnectOptions (flags, then VIC_MACHINE_*, then GOVC_*), trust decision, VSphereSession
session.py             FrontEndSession: the Protocol of what the TUI and the CLI read of a session
target.py              parse a target the way vic-machine and govc accept it
trust.py               certificate fingerprints and known-hosts files (govc's format)
inventory.py           bulk reads: one ContainerView + PropertyCollector round trip per object type
query.py               several object types in one round trip; inventory paths (PathIndex)
inventory_snapshot.py  one consistent read of what a datacenter offers (compute, datastores, networks)
wait.py                Waiter: task and property waits on WaitForUpdatesEx, bounded and cancellable
upload.py              streaming upload of a local file to a datastore
datastore.py           does a datastore path exist (one SearchDatastore task)
datastore_files.py     list a datastore folder; the one guarded place that deletes a datastore path
faults.py              faults in words: fault_text, call_failed, and error_text for any exception
calls.py               count SOAP round trips (benchmarks and call-budget tests)
"""
