"""Checks that the provisioning rig (tests/integration/conftest.py, tests/rig/provisioning.py) can tell a change
apart."""

from __future__ import annotations

import httpx
import pytest

from tests.rig.provisioning import LOOPBACK, fingerprint
from tui.vchsim.simulator import DATASTORES

pytestmark = pytest.mark.rig


def test_fingerprint_sees_a_new_folder_and_a_new_datastore_file(prov_sim, prov_session):
    from tui.core.vsphere.inventory_snapshot import load_inventory
    from tui.core.vsphere.wait import Waiter

    before = fingerprint(prov_session)
    folder = load_inventory(prov_session).vm_folder.CreateFolder("rig-check")
    try:
        with_folder = fingerprint(prov_session)
        assert set(with_folder["entities"]) - set(before["entities"]) == {"folder /Datacenter/vm/rig-check"}
    finally:
        Waiter(prov_session).task(folder.Destroy_Task(), "removing the check folder")
    url = prov_sim.datastore_url("rig-check.txt")
    cookie = prov_session.cookie().split(";")[0]
    assert httpx.put(url, content=b"x", headers={"Cookie": cookie}, verify=prov_sim.ssl_context()).status_code == 200
    assert "[datastore1] rig-check.txt" in fingerprint(prov_session)["files"]
    task = prov_session.content.fileManager.DeleteDatastoreFile_Task(
        f"[{DATASTORES[0]}] rig-check.txt", load_inventory(prov_session).datacenter_ref
    )
    Waiter(prov_session).task(task, "removing the check file")
    assert fingerprint(prov_session) == before


def test_plain_dockerd_answers_ping(plain_dockerd):
    response = httpx.get(f"http://{LOOPBACK}:{plain_dockerd.port}/_ping", timeout=5.0)
    assert response.status_code == 200 and response.text == "OK"
