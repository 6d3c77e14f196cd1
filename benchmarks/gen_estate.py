#!/usr/bin/env python3
# Provenance: copied unchanged from ../shared/tools/gen_estate.py (the project's shared
# benchmark tools, sha256 2b9816fd8b04126d...) so that benchmarks/ does not need ../shared.
# Everything below this header is byte-identical to the original (tests/test_benchmarks.py
# checks it when ../shared is present); change the original, then copy it again.
"""Generate a synthetic Azure Cloud Services (classic) estate for benchmarking csmlint.

Deterministic (seeded), standard library only, so it can be re-used in tests and CI.

Sub-commands
------------
  estate   OUT N         N services, each ServiceDefinition.csdef (~3-8 KB) and
                         ServiceConfiguration.Cloud.cscfg (~3-6 KB), 2-4 roles,
                         10-30 settings per role, certificates, and (in ~40% of
                         services) NetworkConfiguration with VirtualNetworkSite /
                         AddressAssignments / Subnets / ReservedIPs.  Tree:
                         OUT/<region>/<team>/<service>/{*.csdef,*.cscfg}
                         With --topology each service also gets a topology.json.
  yaml     OUT N         N YAML files sized like one service's .cscfg+.csdef pair
                         (two files per service, same sizes) for yamllint peer runs.
  cfn      OUT N         N small valid CloudFormation templates (~1-2 KB, YAML).
  topology OUT.json MB   one topology-like JSON document of about MB megabytes
                         (a whole estate: services, roles, endpoints, vnets ...).
  schema   OUT.json      the moderately complex JSON Schema that 'topology' documents
                         satisfy (draft 2020-12: $defs/$ref, patterns, enums,
                         required, additionalProperties, oneOf, min/max).

Examples
--------
  python3 gen_estate.py estate ./estate1000 1000
  python3 gen_estate.py topology ./topo.json 1
  python3 gen_estate.py schema ./topo.schema.json
"""
from __future__ import annotations

import argparse
import json
import os
import random
import sys
import uuid
from xml.sax.saxutils import quoteattr

CSCFG_NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceConfiguration"
CSDEF_NS = "http://schemas.microsoft.com/ServiceHosting/2008/10/ServiceDefinition"

REGIONS = ["westeurope", "northeurope", "eastus", "eastus2", "westus2", "uksouth",
           "southeastasia", "australiaeast", "japaneast", "canadacentral"]
TEAMS = ["payments", "identity", "search", "catalog", "billing", "reporting",
         "messaging", "media", "ops", "partner", "mobile", "risk"]
WORDS = ["order", "cart", "user", "profile", "invoice", "ledger", "feed", "event",
         "queue", "image", "thumb", "export", "import", "audit", "notify", "sync",
         "auth", "token", "report", "index", "price", "stock", "ship", "tax"]
VM_SIZES = ["Small", "Medium", "Large", "ExtraLarge", "A2", "A3", "A4",
            "Standard_D1_v2", "Standard_D2_v2", "Standard_D3_v2", "Standard_D4_v2",
            "Standard_D11_v2", "Standard_A2_v2", "Standard_A4_v2", "Standard_E2_v3"]
SETTING_KINDS = [
    ("Microsoft.WindowsAzure.Plugins.Diagnostics.ConnectionString", "conn"),
    ("Microsoft.WindowsAzure.Plugins.RemoteAccess.Enabled", "bool"),
    ("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountUsername", "user"),
    ("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountEncryptedPassword", "blob"),
    ("Microsoft.WindowsAzure.Plugins.RemoteAccess.AccountExpiration", "date"),
    ("Microsoft.WindowsAzure.Plugins.RemoteForwarder.Enabled", "bool"),
    ("APPINSIGHTS_INSTRUMENTATIONKEY", "guid"),
]
TOPO_SCHEMA_ID = "https://example.invalid/csmlint/topology.schema.json"


def _rng(seed: int) -> random.Random:
    return random.Random(seed)


def _name(r: random.Random, n: int = 2, sep: str = "") -> str:
    return sep.join(r.choice(WORDS).capitalize() for _ in range(n))


def _thumb(r: random.Random) -> str:
    return "".join(r.choice("0123456789ABCDEF") for _ in range(40))


def _setting_value(r: random.Random, kind: str) -> str:
    if kind == "conn":
        acct = _name(r, 2).lower() + str(r.randint(1, 99))
        if r.random() < 0.3:
            return "UseDevelopmentStorage=true"
        key = "".join(r.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")
                      for _ in range(r.choice([0, 24, 44])))
        return f"DefaultEndpointsProtocol=https;AccountName={acct};AccountKey={key}=="
    if kind == "bool":
        return r.choice(["true", "false"])
    if kind == "user":
        return "admin" + str(r.randint(1, 9))
    if kind == "blob":
        return "".join(r.choice("ABCDEFGHIJKLMNOP0123456789") for _ in range(r.randint(40, 120)))
    if kind == "date":
        return f"20{r.randint(18, 27)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}T23:59:59.0000000+00:00"
    if kind == "guid":
        return str(uuid.UUID(int=r.getrandbits(128)))
    if kind == "url":
        return f"https://{_name(r, 2).lower()}.{r.choice(['azurewebsites.net', 'cloudapp.net', 'example.com'])}/{r.choice(WORDS)}"
    if kind == "int":
        return str(r.choice([1, 5, 10, 30, 60, 100, 250, 1000, 3600]))
    return r.choice(["", "Info", "Warning", "Verbose", _name(r, 1)])


def _role_plan(r: random.Random, svc: str) -> list[dict]:
    nroles = r.randint(2, 4)
    roles = []
    for i in range(nroles):
        kind = "WebRole" if (i == 0 or r.random() < 0.3) else "WorkerRole"
        rname = f"{svc}.{_name(r, 1)}{'Web' if kind == 'WebRole' else 'Worker'}{i}"
        nset = 40  # only the first 5-40 are written: make_service picks the count that hits the size bands
        settings = []
        fixed = r.sample(SETTING_KINDS, k=min(len(SETTING_KINDS), r.randint(1, 4)))
        for nm, k in fixed:
            settings.append((nm, k))
        while len(settings) < nset:
            k = r.choice(["url", "int", "bool", "guid", "text", "conn", "text", "int"])
            nm = f"{_name(r, 1)}.{_name(r, 2)}" + ("ConnectionString" if k == "conn" else "")
            if all(nm != s[0] for s in settings):
                settings.append((nm, k))
        certs = [(c, _thumb(r)) for c in r.sample(["SSL", "ClientAuth", "Encryption", "RemoteAccess.PasswordEncryption", "DataProtection"], k=r.randint(1, 3))]
        roles.append({
            "kind": kind, "name": rname, "settings": settings, "certs": certs,
            "instances": r.choice([1, 2, 2, 3, 4, 6]), "vmsize": r.choice(VM_SIZES),
            "values": [_setting_value(r, k) for _, k in settings],
        })
    return roles


def _cscfg(r: random.Random, svc: str, roles: list[dict], network: dict | None, max_settings: int) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<ServiceConfiguration serviceName="{svc}" xmlns="{CSCFG_NS}" '
           f'osFamily="{r.choice([3, 4, 5, 6, 7])}" osVersion="*" schemaVersion="2015-04.2.6">']
    for role in roles:
        out.append(f'  <Role name="{role["name"]}">')
        out.append(f'    <Instances count="{role["instances"]}" />')
        out.append('    <ConfigurationSettings>')
        for (nm, _), val in list(zip(role["settings"], role["values"]))[:max_settings]:
            out.append(f'      <Setting name="{nm}" value={quoteattr(val)} />')
        out.append('    </ConfigurationSettings>')
        out.append('    <Certificates>')
        for cname, th in role["certs"]:
            out.append(f'      <Certificate name="{cname}" thumbprint="{th}" thumbprintAlgorithm="sha1" />')
        out.append('    </Certificates>')
        out.append('  </Role>')
    if network:
        out.append('  <NetworkConfiguration>')
        if network.get("dns"):
            out.append('    <Dns>')
            out.append('      <DnsServers>')
            for i, ip in enumerate(network["dns"]):
                out.append(f'        <DnsServer name="dns{i}" IPAddress="{ip}" />')
            out.append('      </DnsServers>')
            out.append('    </Dns>')
        out.append(f'    <VirtualNetworkSite name="{network["vnet"]}" />')
        out.append('    <AddressAssignments>')
        for role in roles:
            out.append(f'      <InstanceAddress roleName="{role["name"]}">')
            out.append('        <Subnets>')
            out.append(f'          <Subnet name="{network["subnets"][role["name"]]}" />')
            out.append('        </Subnets>')
            out.append('      </InstanceAddress>')
        if network.get("reserved"):
            out.append('      <ReservedIPs>')
            for ip in network["reserved"]:
                out.append(f'        <ReservedIP name="{ip}" />')
            out.append('      </ReservedIPs>')
        out.append('    </AddressAssignments>')
        out.append('  </NetworkConfiguration>')
    out.append('</ServiceConfiguration>')
    return "\n".join(out) + "\n"


def _csdef(r: random.Random, svc: str, roles: list[dict], max_settings: int, extras: bool) -> str:
    out = ['<?xml version="1.0" encoding="utf-8"?>',
           f'<ServiceDefinition name="{svc}" xmlns="{CSDEF_NS}" schemaVersion="2015-04.2.6">']
    port = 80
    for role in roles:
        k = role["kind"]
        out.append(f'  <{k} name="{role["name"]}" vmsize="{role["vmsize"]}">')
        eps = []
        if k == "WebRole":
            eps = [("HttpIn", "http", port), ("HttpsIn", "https", port + 363)]
            out.append('    <Sites>')
            out.append('      <Site name="Web">')
            out.append('        <Bindings>')
            for e, _, _ in eps:
                out.append(f'          <Binding name="{e}" endpointName="{e}" />')
            out.append('        </Bindings>')
            out.append('      </Site>')
            out.append('    </Sites>')
        else:
            if r.random() < 0.5:
                eps = [(f"Tcp{r.randint(1, 9)}", "tcp", r.randint(8000, 9999))]
        out.append('    <ConfigurationSettings>')
        for nm, _ in role["settings"][:max_settings]:
            out.append(f'      <Setting name="{nm}" />')
        out.append('    </ConfigurationSettings>')
        out.append('    <Endpoints>')
        certname = role["certs"][0][0]
        for e, proto, p in eps:
            cert = f' certificate="{certname}"' if proto == "https" else ""
            out.append(f'      <InputEndpoint name="{e}" protocol="{proto}" port="{p}"{cert} />')
        out.append(f'      <InternalEndpoint name="Internal{role["name"].split(".")[-1]}" protocol="tcp" />')
        out.append('    </Endpoints>')
        out.append('    <Certificates>')
        for cname, _ in role["certs"]:
            out.append(f'      <Certificate name="{cname}" storeLocation="LocalMachine" storeName="{r.choice(["My", "CA", "Root"])}" />')
        out.append('    </Certificates>')
        out.append('    <Imports>')
        for mod in r.sample(["Diagnostics", "RemoteAccess", "RemoteForwarder", "Caching", "WebDeploy"], k=r.randint(1, 3)):
            out.append(f'      <Import moduleName="{mod}" />')
        out.append('    </Imports>')
        if extras:
            out.append('    <LocalResources>')
            for i in range(r.randint(1, 3)):
                out.append(f'      <LocalStorage name="{_name(r, 1)}Cache{i}" cleanOnRoleRecycle="{r.choice(["true", "false"])}" sizeInMB="{r.choice([256, 1024, 4096, 20480])}" />')
            out.append('    </LocalResources>')
            out.append('    <Startup>')
            for i in range(r.randint(1, 2)):
                out.append(f'      <Task commandLine="startup\\{_name(r, 1).lower()}{i}.cmd" executionContext="{r.choice(["elevated", "limited"])}" taskType="{r.choice(["simple", "background", "foreground"])}">')
                out.append('        <Environment>')
                out.append(f'          <Variable name="EMULATED">')
                out.append('            <RoleInstanceValue xpath="/RoleEnvironment/Deployment/@emulated" />')
                out.append('          </Variable>')
                out.append(f'          <Variable name="{_name(r, 1).upper()}_MODE" value="{r.choice(["prod", "staging", "test"])}" />')
                out.append('        </Environment>')
                out.append('      </Task>')
            out.append('    </Startup>')
            out.append(f'    <Runtime executionContext="{r.choice(["elevated", "limited"])}" />')
        out.append(f'  </{k}>')
        port += 1
    out.append('</ServiceDefinition>')
    return "\n".join(out) + "\n"


def _network(r: random.Random, roles: list[dict]) -> dict | None:
    if r.random() >= 0.4:
        return None
    vnet = f"vnet-{_name(r, 1).lower()}-{r.randint(1, 20)}"
    return {
        "vnet": vnet,
        "dns": [f"10.{r.randint(0, 255)}.0.{r.randint(4, 9)}" for _ in range(r.randint(0, 2))],
        "subnets": {role["name"]: f"snet-{role['name'].split('.')[-1].lower()}" for role in roles},
        "reserved": [f"rip-{_name(r, 1).lower()}-{i}" for i in range(r.choice([0, 1, 1, 2]))],
    }


def make_service(i: int, seed: int = 1):
    """Return (service_name, cscfg_text, csdef_text, topology_dict) for service number i."""
    r = _rng(seed * 1_000_003 + i)
    svc = f"{_name(r, 2)}Svc{i:05d}"
    roles = _role_plan(r, svc)
    net = _network(r, roles)
    # Pick target sizes inside the brief's bands (cscfg 3-6 KB, csdef 3-8 KB), then choose
    # how many settings each role carries (5-40; 10-30 typical for 2-3 roles) so both fit.
    cfg_target = r.randint(3 * 1024 + 200, 6 * 1024 - 100)
    def_target = r.randint(3 * 1024 + 200, 8 * 1024 - 100)
    best = None
    for extras in (True, False):
        for max_settings in range(5, 41):
            cscfg = _cscfg(_rng(i), svc, roles, net, max_settings)
            csdef = _csdef(_rng(i + 7), svc, roles, max_settings, extras)
            if len(cscfg) > 6 * 1024 or len(csdef) > 8 * 1024:
                break
            score = abs(len(cscfg) - cfg_target) + abs(len(csdef) - def_target)
            if best is None or score < best[0]:
                best = (score, max_settings, cscfg, csdef)
            if len(cscfg) >= cfg_target and len(csdef) >= def_target:
                break
        if best is not None:
            break
    if best is None:  # pathological: fall back to the smallest variant
        max_settings = 10
        cscfg = _cscfg(_rng(i), svc, roles, net, max_settings)
        csdef = _csdef(_rng(i + 7), svc, roles, max_settings, False)
    else:
        _, max_settings, cscfg, csdef = best
    topo = {
        "service": svc, "region": None, "team": None,
        "roles": [{"name": ro["name"], "kind": ro["kind"], "vmSize": ro["vmsize"],
                   "instances": ro["instances"], "settings": len(ro["settings"][:max_settings]),
                   "certificates": [c for c, _ in ro["certs"]]} for ro in roles],
        "network": net,
    }
    return svc, cscfg, csdef, topo


def cmd_estate(out: str, n: int, seed: int, topology: bool) -> None:
    r = _rng(seed)
    total = 0
    for i in range(n):
        svc, cscfg, csdef, topo = make_service(i, seed)
        region = REGIONS[i % len(REGIONS)]
        team = TEAMS[(i // len(REGIONS)) % len(TEAMS)]
        d = os.path.join(out, region, team, svc)
        os.makedirs(d, exist_ok=True)
        with open(os.path.join(d, "ServiceConfiguration.Cloud.cscfg"), "w", encoding="utf-8", newline="\n") as f:
            f.write(cscfg)
        with open(os.path.join(d, "ServiceDefinition.csdef"), "w", encoding="utf-8", newline="\n") as f:
            f.write(csdef)
        total += len(cscfg) + len(csdef)
        if topology:
            topo["region"], topo["team"] = region, team
            with open(os.path.join(d, "topology.json"), "w", encoding="utf-8") as f:
                json.dump(topo, f, indent=1)
    _ = r
    print(f"{n} services, {2 * n} XML files, {total / 1e6:.2f} MB in {out}", file=sys.stderr)


def _yaml_of(text_len: int, r: random.Random, svc: str) -> str:
    lines = [f"service: {svc}", "roles:"]
    i = 0
    while sum(len(x) + 1 for x in lines) < text_len:
        lines.append(f"  - name: {svc}.{_name(r, 1)}{i}")
        lines.append(f"    vmsize: {r.choice(VM_SIZES)}")
        lines.append(f"    instances: {r.randint(1, 6)}")
        lines.append("    settings:")
        for _ in range(r.randint(5, 15)):
            lines.append(f"      - name: {_name(r, 1)}.{_name(r, 2)}")
            lines.append(f"        value: \"{_setting_value(r, r.choice(['url', 'int', 'bool', 'guid', 'text']))}\"")
        lines.append("    certificates:")
        lines.append(f"      - name: SSL")
        lines.append(f"        thumbprint: {_thumb(r)}")
        i += 1
    return "---\n" + "\n".join(lines) + "\n"


def cmd_yaml(out: str, n: int, seed: int) -> None:
    """Two YAML files per service, each the size of that service's cscfg / csdef."""
    total = 0
    for i in range(n):
        svc, cscfg, csdef, _ = make_service(i, seed)
        r = _rng(seed + i)
        d = os.path.join(out, REGIONS[i % len(REGIONS)], svc)
        os.makedirs(d, exist_ok=True)
        for fname, ref in (("configuration.yaml", cscfg), ("definition.yaml", csdef)):
            text = _yaml_of(len(ref), r, svc)
            with open(os.path.join(d, fname), "w", encoding="utf-8") as f:
                f.write(text)
            total += len(text)
    print(f"{2 * n} YAML files, {total / 1e6:.2f} MB in {out}", file=sys.stderr)


CFN_TEMPLATE = """AWSTemplateFormatVersion: "2010-09-09"
Description: Synthetic template {i} for linter benchmarks
Parameters:
  Env:
    Type: String
    AllowedValues: [dev, test, prod]
    Default: dev
Resources:
  Bucket{i}:
    Type: AWS::S3::Bucket
    Properties:
      BucketName: !Sub "csmlint-bench-{i}-${{Env}}"
      VersioningConfiguration:
        Status: Enabled
      BucketEncryption:
        ServerSideEncryptionConfiguration:
          - ServerSideEncryptionByDefault:
              SSEAlgorithm: AES256
      PublicAccessBlockConfiguration:
        BlockPublicAcls: true
        BlockPublicPolicy: true
        IgnorePublicAcls: true
        RestrictPublicBuckets: true
  Queue{i}:
    Type: AWS::SQS::Queue
    Properties:
      VisibilityTimeout: {vt}
      MessageRetentionPeriod: 345600
  Topic{i}:
    Type: AWS::SNS::Topic
    Properties:
      Subscription:
        - Endpoint: !GetAtt Queue{i}.Arn
          Protocol: sqs
Outputs:
  BucketArn:
    Value: !GetAtt Bucket{i}.Arn
  QueueUrl:
    Value: !Ref Queue{i}
"""


def cmd_cfn(out: str, n: int, seed: int) -> None:
    os.makedirs(out, exist_ok=True)
    r = _rng(seed)
    for i in range(n):
        with open(os.path.join(out, f"template{i:04d}.yaml"), "w", encoding="utf-8") as f:
            f.write(CFN_TEMPLATE.format(i=i, vt=r.choice([30, 60, 120, 300])))
    print(f"{n} CloudFormation templates in {out}", file=sys.stderr)


def topology_doc(mb: float, seed: int) -> dict:
    r = _rng(seed)
    doc = {"schemaVersion": "1.0", "estate": "bench", "generatedAt": "2026-11-22T00:00:00Z",
           "vnets": [], "services": []}
    for v in range(40):
        doc["vnets"].append({
            "name": f"vnet-{v}", "region": r.choice(REGIONS),
            "addressSpace": [f"10.{v}.0.0/16"],
            "subnets": [{"name": f"snet-{v}-{s}", "prefix": f"10.{v}.{s}.0/24",
                         "nsg": r.choice([None, f"nsg-{v}-{s}"])} for s in range(r.randint(2, 6))],
        })
    target = int(mb * 1024 * 1024)
    size = len(json.dumps(doc))
    i = 0
    while size < target:
        _, _, _, topo = make_service(i, seed)
        svc = {
            "name": topo["service"], "region": REGIONS[i % len(REGIONS)],
            "team": TEAMS[i % len(TEAMS)], "tier": r.choice(["gold", "silver", "bronze"]),
            "osFamily": r.choice([3, 4, 5, 6, 7]),
            "roles": [{
                "name": ro["name"], "kind": ro["kind"], "vmSize": ro["vmSize"],
                "instances": ro["instances"],
                "endpoints": [{"name": f"ep{k}", "protocol": r.choice(["http", "https", "tcp"]),
                               "port": r.randint(1, 65535)} for k in range(r.randint(1, 3))],
                "certificates": [{"name": c, "thumbprint": _thumb(r)} for c in ro["certificates"]],
                "settings": {f"S{k}": _setting_value(r, r.choice(["url", "int", "bool", "text"]))
                             for k in range(r.randint(2, 6))},
            } for ro in topo["roles"]],
        }
        if topo["network"]:
            svc["network"] = {"vnet": f"vnet-{r.randint(0, 39)}",
                              "reservedIPs": topo["network"]["reserved"],
                              "dns": topo["network"]["dns"]}
        doc["services"].append(svc)
        size += len(json.dumps(svc)) + 2
        i += 1
    return doc


def topology_schema() -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": TOPO_SCHEMA_ID,
        "type": "object",
        "required": ["schemaVersion", "estate", "services", "vnets"],
        "additionalProperties": False,
        "properties": {
            "schemaVersion": {"type": "string", "pattern": r"^\d+\.\d+$"},
            "estate": {"type": "string", "minLength": 1},
            "generatedAt": {"type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T"},
            "vnets": {"type": "array", "items": {"$ref": "#/$defs/vnet"}},
            "services": {"type": "array", "items": {"$ref": "#/$defs/service"}, "minItems": 1},
        },
        "$defs": {
            "name": {"type": "string", "pattern": r"^[A-Za-z][A-Za-z0-9._-]{0,99}$"},
            "region": {"enum": REGIONS},
            "cidr": {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,3}){3}/\d{1,2}$"},
            "ipv4": {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,3}){3}$"},
            "vnet": {
                "type": "object", "required": ["name", "region", "addressSpace", "subnets"],
                "additionalProperties": False,
                "properties": {
                    "name": {"$ref": "#/$defs/name"}, "region": {"$ref": "#/$defs/region"},
                    "addressSpace": {"type": "array", "items": {"$ref": "#/$defs/cidr"}, "minItems": 1},
                    "subnets": {"type": "array", "items": {
                        "type": "object", "required": ["name", "prefix"], "additionalProperties": False,
                        "properties": {"name": {"$ref": "#/$defs/name"}, "prefix": {"$ref": "#/$defs/cidr"},
                                       "nsg": {"oneOf": [{"type": "null"}, {"$ref": "#/$defs/name"}]}}}},
                },
            },
            "endpoint": {
                "type": "object", "required": ["name", "protocol", "port"], "additionalProperties": False,
                "properties": {"name": {"$ref": "#/$defs/name"},
                               "protocol": {"enum": ["http", "https", "tcp", "udp"]},
                               "port": {"type": "integer", "minimum": 1, "maximum": 65535}},
            },
            "certificate": {
                "type": "object", "required": ["name", "thumbprint"], "additionalProperties": False,
                "properties": {"name": {"$ref": "#/$defs/name"},
                               "thumbprint": {"type": "string", "pattern": "^[0-9A-F]{40}$"}},
            },
            "role": {
                "type": "object", "required": ["name", "kind", "vmSize", "instances"],
                "additionalProperties": False,
                "properties": {
                    "name": {"$ref": "#/$defs/name"},
                    "kind": {"enum": ["WebRole", "WorkerRole"]},
                    "vmSize": {"type": "string", "enum": VM_SIZES},
                    "instances": {"type": "integer", "minimum": 1, "maximum": 1000},
                    "endpoints": {"type": "array", "items": {"$ref": "#/$defs/endpoint"}},
                    "certificates": {"type": "array", "items": {"$ref": "#/$defs/certificate"}},
                    "settings": {"type": "object", "propertyNames": {"pattern": "^[A-Za-z][A-Za-z0-9._]*$"},
                                 "additionalProperties": {"type": "string", "maxLength": 4096}},
                },
            },
            "service": {
                "type": "object", "required": ["name", "region", "roles"], "additionalProperties": False,
                "properties": {
                    "name": {"$ref": "#/$defs/name"}, "region": {"$ref": "#/$defs/region"},
                    "team": {"type": "string"}, "tier": {"enum": ["gold", "silver", "bronze"]},
                    "osFamily": {"type": "integer", "minimum": 2, "maximum": 7},
                    "roles": {"type": "array", "items": {"$ref": "#/$defs/role"}, "minItems": 1, "maxItems": 25},
                    "network": {
                        "type": "object", "required": ["vnet"], "additionalProperties": False,
                        "properties": {"vnet": {"$ref": "#/$defs/name"},
                                       "reservedIPs": {"type": "array", "items": {"$ref": "#/$defs/name"}},
                                       "dns": {"type": "array", "items": {"$ref": "#/$defs/ipv4"}}},
                    },
                },
            },
        },
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seed", type=int, default=1)
    sub = p.add_subparsers(dest="cmd", required=True)
    e = sub.add_parser("estate"); e.add_argument("out"); e.add_argument("n", type=int)
    e.add_argument("--topology", action="store_true", help="also write a per-service topology.json")
    y = sub.add_parser("yaml"); y.add_argument("out"); y.add_argument("n", type=int)
    c = sub.add_parser("cfn"); c.add_argument("out"); c.add_argument("n", type=int)
    t = sub.add_parser("topology"); t.add_argument("out"); t.add_argument("mb", type=float)
    s = sub.add_parser("schema"); s.add_argument("out")
    a = p.parse_args(argv)
    if a.cmd == "estate":
        cmd_estate(a.out, a.n, a.seed, a.topology)
    elif a.cmd == "yaml":
        cmd_yaml(a.out, a.n, a.seed)
    elif a.cmd == "cfn":
        cmd_cfn(a.out, a.n, a.seed)
    elif a.cmd == "topology":
        doc = topology_doc(a.mb, a.seed)
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(doc, f)
        print(f"{len(doc['services'])} services, {os.path.getsize(a.out) / 1e6:.2f} MB in {a.out}", file=sys.stderr)
    elif a.cmd == "schema":
        with open(a.out, "w", encoding="utf-8") as f:
            json.dump(topology_schema(), f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
