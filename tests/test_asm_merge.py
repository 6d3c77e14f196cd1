"""Merging topology documents: exports together, and imported facts into a user's document."""

from __future__ import annotations

import copy
from typing import Any

from asm_support import RDP, document

from csmlint.loaders.asm.merge import merge_into, same


def _user() -> dict[str, Any]:
    return {
        "schema": "csmlint.topology/v1",
        "subscriptions": [
            {
                "cloudServices": [
                    {
                        "name": "RDPEXTTEST",
                        "location": "West Europe",
                        "deployments": [
                            {"slot": "Production", "vnet": "contoso-vnet", "packageAvailable": True}
                        ],
                    }
                ]
            }
        ],
    }


def test_user_facts_win_and_imported_facts_fill_the_gaps() -> None:
    user = _user()
    merge_into(user, document(RDP))
    [cs] = user["subscriptions"][0]["cloudServices"]  # joined by name, any case
    assert cs["name"] == "RDPEXTTEST" and cs["location"] == "West Europe"
    assert "source" not in cs  # the user's object does not become an imported one
    [dep] = cs["deployments"]  # joined by slot, any case
    assert dep["vnet"] == "contoso-vnet"  # the user's fact wins over the export's ""
    assert dep["packageAvailable"] is True  # kept: no export states it
    assert dep["status"] == "running" and len(dep["vips"]) == 1  # filled from the export
    assert cs["extensions"][0]["type"] == "RDP"
    assert [s["id"] for s in user["sources"]] == ["asm1"]


def test_refresh_replaces_facts_of_a_reimported_export_only() -> None:
    first = document(RDP)
    dep = first["subscriptions"][0]["cloudServices"][0]["deployments"][0]
    dep["status"] = "suspended"  # as the export said last time
    dep["x-owner"] = "ops"  # the user's note inside an imported object
    dep["inDefaultVnet"] = True  # a fact the user completed by hand
    merge_into(first, document(RDP), refresh=frozenset({"asm1"}))
    assert dep["status"] == "running"
    assert dep["x-owner"] == "ops" and dep["inDefaultVnet"] is True
    merge_into(
        first,
        {
            "subscriptions": [
                {
                    "cloudServices": [
                        {
                            "name": "rdpexttest",
                            "deployments": [{"slot": "production", "status": "deleting"}],
                        }
                    ]
                }
            ]
        },
    )
    assert dep["status"] == "running"  # no refresh: the document merged into wins


def test_null_is_unknown_and_is_filled() -> None:
    user = _user()
    user["subscriptions"][0]["cloudServices"][0]["deployments"][0]["status"] = None
    merge_into(user, document(RDP))
    assert user["subscriptions"][0]["cloudServices"][0]["deployments"][0]["status"] == "running"


def test_subscriptions_join_by_id_and_items_by_their_keys() -> None:
    a = {"subscriptions": [{"id": "S1", "reservedIps": [{"name": "a"}]}, {"reservedIps": []}]}
    b = {
        "subscriptions": [
            {"id": "s1", "reservedIps": [{"name": "A", "inUse": True}, {"name": "b"}]}
        ]
    }
    merge_into(a, copy.deepcopy(b))
    assert a["subscriptions"][0]["reservedIps"] == [{"name": "a", "inUse": True}, {"name": "b"}]
    merge_into(a, {"subscriptions": [{"reservedIps": [{"name": "c"}]}]})
    assert a["subscriptions"][1]["reservedIps"] == [{"name": "c"}]  # no id joins no id


def test_deployments_join_by_slot_then_name() -> None:
    keys = ("slot", "name")
    assert same({"slot": "Production", "name": "x"}, {"slot": "production", "name": "y"}, keys)
    assert not same({"slot": "production"}, {"slot": "staging"}, keys)
    assert same({"name": "d1"}, {"slot": "staging", "name": "D1"}, keys)
    assert not same({"name": "d1"}, {"slot": "staging"}, keys)


def test_lists_of_strings_are_single_facts() -> None:
    base = {"virtualNetworks": [{"name": "v", "addressSpace": ["10.0.0.0/16"]}]}
    merge_into(base, {"virtualNetworks": [{"name": "v", "addressSpace": ["10.1.0.0/16"]}]})
    assert base["virtualNetworks"][0]["addressSpace"] == ["10.0.0.0/16"]
