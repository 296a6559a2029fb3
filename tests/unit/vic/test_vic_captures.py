"""Decoding what the real vic-machine 1.5.8 wrote, and encoding it back: every key and value reproduced."""

import pytest
from vic_captures import FILES, SPECS, WRITE1, WRITE2, is_secret_key, load_extra, plain_items

from tui.core.secret import Secret
from tui.core.vic.config import decode, encode
from tui.core.vic.secretbox import SECRET_KEY_NAME, Sealed, key_from_extra, unseal

CASES = [(name, file) for name in SPECS for file in FILES]


@pytest.mark.parametrize(("name", "file"), CASES)
def test_decode_then_encode_reproduces_every_key_and_value(name, file):
    extra = load_extra(name, file)
    key = key_from_extra(extra)
    assert key is not None  # the simulator lets the API read guestinfo.ovfEnv (vCenter hides it)
    cfg = decode(extra, key=key)
    out = encode(cfg, key=key)
    assert set(out) == set(extra)
    assert plain_items(out) == plain_items(extra)
    assert out[SECRET_KEY_NAME] == extra[SECRET_KEY_NAME]
    for k in filter(is_secret_key, extra):  # re-encrypted with a fresh nonce: the same plaintext, new ciphertext
        assert out[k] != extra[k]
        assert unseal(key, out[k], name=k) == unseal(key, extra[k], name=k)


@pytest.mark.parametrize(("name", "file"), CASES)
def test_without_the_key_secrets_stay_sealed_and_are_written_back_unchanged(name, file):
    extra = load_extra(name, file)
    extra.pop(SECRET_KEY_NAME)  # as vCenter returns config.extraConfig
    cfg = decode(extra, key=None)
    assert isinstance(cfg.connect.token, Sealed)
    assert encode(cfg, key=None) == extra


@pytest.mark.parametrize("name", SPECS)
def test_the_decoded_config_is_typed(name):
    extra = load_extra(name, WRITE2)
    cfg = decode(extra, key=key_from_extra(extra))
    assert cfg.name == extra["init/common/name"] == name.lower().replace("-variant-pkcs8-key", "p8")
    assert cfg.id.startswith("VirtualMachine:vm-")
    assert sorted(cfg.init.networks) == ["bridge", "client", "management", "public"]
    assert sorted(cfg.init.sessions) == ["docker-personality", "port-layer", "vicadmin"]
    assert cfg.init.sessions["port-layer"].cmd.args == ["/sbin/port-layer-server", "--host=localhost", "--port=2377"]
    assert cfg.init.networks["public"].network.default is True
    assert cfg.init.version.short() == "v1.5.8-0-2c978fe"  # as `vic-machine ls` prints it (ls/stdout.txt)
    assert cfg.container.compute_resources[0].type == "ResourcePool"
    assert cfg.storage.image_stores[0].scheme == "ds"
    assert cfg.storage.scratch_size == 8_000_000
    assert cfg.network.bridge_network == "bridge"
    assert isinstance(cfg.connect.token, Secret) and cfg.connect.token.reveal()
    assert cfg.unknown == {}


def test_write1_keeps_the_key_vic_does_not_model():
    cfg = decode(load_extra("G1", WRITE1), key=None)
    assert cfg.unknown == {"answer.msg.serial.file.open": "Append"}
    assert cfg.id == "CreatingVCH"


def test_unknown_keys_survive_a_round_trip_even_inside_known_sections():
    extra = load_extra("G2", WRITE2)
    key = key_from_extra(extra)
    foreign = {
        "guestinfo.vice./init/future_field": "x",  # a field a later VIC adds
        "guestinfo.vice./network/container_networks|retired/Common/id": "DistributedVirtualPortgroup:dvportgroup-9",
        "guestinfo.vice./init/sessions|port-layer/cmd/Extra~": "a|b",  # values without their length key
        "other.tool.key": "<nil>",
    }
    cfg = decode({**extra, **foreign}, key=key)
    assert {k: cfg.unknown[k] for k in foreign} == foreign
    out = encode(cfg, key=key)
    assert {k: out[k] for k in foreign} == foreign
    assert "retired" not in cfg.network.container_networks


def test_an_unknown_secret_is_decrypted_and_re_encrypted_under_the_new_key():
    extra = load_extra("G1", WRITE2)
    key = key_from_extra(extra)
    sealed = extra["guestinfo.vice./connect/token@secret"]
    cfg = decode({**extra, "guestinfo.vice./future/password@secret": sealed}, key=key)
    new_key = bytes(range(32))
    out = encode(cfg, key=new_key)
    assert unseal(new_key, out["guestinfo.vice./future/password@secret"], name="x") == cfg.connect.token.reveal()


def test_editing_the_typed_config_changes_exactly_its_keys():
    extra = load_extra("G1", WRITE2)
    key = key_from_extra(extra)
    cfg = decode(extra, key=key)
    cfg.network.container_networks["backend"].trust_level = 2
    cfg.init.sessions["docker-personality"].cmd.env.append("HTTPS_PROXY=http://proxy:3128")
    out = encode(cfg, key=key)
    changed = {k for k in set(out) | set(extra) if not is_secret_key(k) and out.get(k) != extra.get(k)}
    assert changed == {
        "guestinfo.vice./network/container_networks|backend/TrustLevel",
        "guestinfo.vice./init/sessions|docker-personality/cmd/Env",
        "guestinfo.vice./init/sessions|docker-personality/cmd/Env~",
    }
    assert out["guestinfo.vice./init/sessions|docker-personality/cmd/Env"] == "2"


def test_the_effective_config_has_the_second_writes_key():
    for name in SPECS:
        effective, write2 = load_extra(name, "extraconfig.txt"), load_extra(name, WRITE2)
        assert effective[SECRET_KEY_NAME] == write2[SECRET_KEY_NAME]
        assert load_extra(name, WRITE1)[SECRET_KEY_NAME] != write2[SECRET_KEY_NAME]  # a new key for each write
