#!/usr/bin/env node
// scripts/gen-sim-schema.js: writes sim/schema_data.c, the field types of
// the kinds dify-sim serves, from the Kubernetes OpenAPI definitions as the
// @kubernetes/client-node models carry them (generated from the API's
// OpenAPI spec). Not run by the build: run it by hand after
//   npm install --prefix /tmp/k8sref @kubernetes/client-node
//   node scripts/gen-sim-schema.js /tmp/k8sref > sim/schema_data.c
// and review the diff. sim/schema.c holds the rules that use the table.
'use strict';
const fs = require('fs');
const path = require('path');
const dir = path.join(process.argv[2], 'node_modules/@kubernetes/client-node/dist/gen/models');
const models = {};
for (const f of fs.readdirSync(dir)) {
    if (!f.endsWith('.js')) continue;
    const m = require(path.join(dir, f));
    for (const k of Object.keys(m))
        if (m[k] && m[k].attributeTypeMap) models[k] = m[k];
}
// The kinds dify-sim serves (sim/store.c) and their model classes.
const roots = {
    Namespace: 'V1Namespace', Node: 'V1Node', Pod: 'V1Pod', Service: 'V1Service',
    ConfigMap: 'V1ConfigMap', Secret: 'V1Secret', ServiceAccount: 'V1ServiceAccount',
    PersistentVolumeClaim: 'V1PersistentVolumeClaim', Event: 'CoreV1Event',
    Deployment: 'V1Deployment', ReplicaSet: 'V1ReplicaSet', StatefulSet: 'V1StatefulSet',
    DaemonSet: 'V1DaemonSet', Job: 'V1Job', Ingress: 'V1Ingress', StorageClass: 'V1StorageClass',
};
// Quantities (resource.Quantity) take a string or a number.
const quantities = new Set(['sizeLimit', 'limits', 'requests', 'capacity', 'allocatable', 'hard']);
const order = [], index = {};
function visit(cls) {
    if (cls in index) return index[cls];
    if (!models[cls]) throw new Error('no model ' + cls);
    index[cls] = order.length;
    order.push(cls);
    for (const a of models[cls].attributeTypeMap) {
        const m = /^(?:Array<)?([A-Z][A-Za-z0-9]+)>?$/.exec(a.type);
        if (m && models[m[1]]) visit(m[1]);
    }
    return index[cls];
}
for (const k of Object.keys(roots)) visit(roots[k]);
function ftype(a) {
    const t = a.type, f = a.format;
    const ref = /^(?:Array<)?([A-Z][A-Za-z0-9]+)>?$/.exec(t);
    if (ref && models[ref[1]]) return [t.startsWith('Array<') ? 'SF_LIST_OBJ' : 'SF_OBJ', index[ref[1]]];
    if (quantities.has(a.baseName)) return [t.startsWith('{') ? 'SF_MAP_QTY' : 'SF_QTY', -1];
    switch (t) {
    case 'string': return [f === 'byte' ? 'SF_BYTES' : 'SF_STR', -1];
    case 'number': return [f === 'int32' ? 'SF_INT32' : f === 'int64' ? 'SF_INT64' : 'SF_NUM', -1];
    case 'boolean': return ['SF_BOOL', -1];
    case 'Date': return ['SF_TIME', -1];
    case 'IntOrString': return ['SF_INTORSTR', -1];
    case 'Array<string>': return ['SF_LIST_STR', -1];
    case 'Array<number>': return ['SF_LIST_INT', -1];
    case '{ [key: string]: string; }': return ['SF_MAP_STR', -1];
    case '{ [key: string]: Array<string>; }': return ['SF_MAP_LIST_STR', -1];
    default: return ['SF_ANY', -1];
    }
}
const out = [];
out.push('/* sim/schema_data.c: the field types of the kinds dify-sim serves, written by');
out.push(' * scripts/gen-sim-schema.js from the Kubernetes OpenAPI definitions (the');
out.push(' * @kubernetes/client-node models). Do not edit; see sim/schema.h. */');
out.push('#include "config.h"', '', '#include "sim/schema.h"', '');
order.forEach((cls, i) => {
    out.push('static const struct sfield f' + i + '[] = { /* ' + cls + ' */');
    for (const a of models[cls].attributeTypeMap) {
        const [t, r] = ftype(a);
        out.push('    {"' + a.baseName + '", ' + t + ', ' + r + '},');
    }
    out.push('};');
});
out.push('', 'const struct stype schema_types[] = {');
order.forEach((cls, i) => {
    const name = cls.replace(/^(V1|CoreV1)/, '');
    out.push('    {"' + name + '", f' + i + ', sizeof(f' + i + ') / sizeof(f' + i + '[0])},');
});
out.push('};', 'const unsigned schema_ntypes = sizeof(schema_types) / sizeof(schema_types[0]);', '');
out.push('const struct schema_root schema_roots[] = {');
for (const k of Object.keys(roots)) out.push('    {"' + k + '", ' + index[roots[k]] + '},');
out.push('};', 'const unsigned schema_nroots = sizeof(schema_roots) / sizeof(schema_roots[0]);');
process.stdout.write(out.join('\n') + '\n');
