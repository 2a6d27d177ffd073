#!/usr/bin/env python3
"""tests/render/discovery.py: CACHE_DIR HOST_DIR
Writes a kubectl discovery cache for the kinds the renderer emits, so that
`kubectl create --dry-run=client` can map kinds to resources with no API
server at all (kubectl otherwise asks the server even in client dry-run)."""
import json
import os
import sys

KINDS = {
    "v1": [("namespaces", "Namespace", False), ("secrets", "Secret", True),
           ("serviceaccounts", "ServiceAccount", True), ("configmaps", "ConfigMap", True),
           ("services", "Service", True),
           ("persistentvolumeclaims", "PersistentVolumeClaim", True)],
    "apps/v1": [("deployments", "Deployment", True)],
    "batch/v1": [("jobs", "Job", True)],
    "networking.k8s.io/v1": [("ingresses", "Ingress", True)],
}

base = os.path.join(sys.argv[1], "discovery", sys.argv[2])
groups = []
for gv, res in KINDS.items():
    group, _, version = gv.rpartition("/")
    groups.append({"name": group, "versions": [{"groupVersion": gv, "version": version}],
                   "preferredVersion": {"groupVersion": gv, "version": version}})
    d = os.path.join(base, gv)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, "serverresources.json"), "w") as fh:
        json.dump({"kind": "APIResourceList", "apiVersion": "v1", "groupVersion": gv,
                   "resources": [{"name": n, "singularName": k.lower(), "namespaced": ns,
                                  "kind": k, "verbs": ["create", "get", "list"]}
                                 for n, k, ns in res]}, fh)
with open(os.path.join(base, "servergroups.json"), "w") as fh:
    json.dump({"kind": "APIGroupList", "apiVersion": "v1", "groups": groups}, fh)
