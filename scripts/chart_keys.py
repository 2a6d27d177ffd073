#!/usr/bin/env python3
"""scripts/chart_keys.py: writes core/chart_keys_data.c, the value keys each
supported chart version reads. A maintainer's tool: neither the build nor the
tests run it, and no chart is kept in this tree.

  scripts/chart_keys.py BORIS_GIT_DIR EE_VALUES_DIR > core/chart_keys_data.c

BORIS_GIT_DIR: a clone of BorisPolonsky/dify-helm (its tags are read).
EE_VALUES_DIR: the Dify EE chart's published default values, one file per
version named <version>.yaml (helm show values dify/dify --version V).

Community keys are read from the chart templates: every .Values path, paths
relative to a `with`/`range` over a .Values path, and paths through template
variables bound to one. A path used whole (toYaml, toJson, tpl, omit,
common.tplvalues.render) is written "path.*": any key below it is read.
The EE chart's templates are not public, so its keys are the leaves of the
published values; an empty map, list or null there is written "path.*".
"""
import re
import subprocess
import sys

import yaml

BORIS_TAGS = ["dify-0.38.0-rc2", "dify-0.37.0", "dify-0.36.0"]
EE_VERSIONS = ["3.7.4", "3.7.3", "3.6.2", "3.5.5"]
IDENT = r"[A-Za-z_][A-Za-z0-9_]*"
PATH = r"(?:\." + IDENT + r")+"
WHOLE = ("toYaml", "toJson", "tpl ", "tplvalues", "omit ")
BUILTIN = ("Release", "Chart", "Capabilities", "Template", "Files", "Values")


def git(gitdir, *args):
    return subprocess.run(["git", "-C", gitdir] + list(args), capture_output=True, text=True,
                          check=True).stdout


def template_keys(gitdir, tag):
    files = git(gitdir, "ls-tree", "-r", "--name-only", tag, "charts/dify/templates").split()
    refs, whole = set(), set()
    rel_re = re.compile(r"(?<![A-Za-z0-9_$\)\]])(" + PATH + ")")
    for f in files:
        text = git(gitdir, "show", tag + ":" + f)
        text = re.sub(r"\{\{-?\s*/\*.*?\*/\s*-?\}\}", "", text, flags=re.S)
        stack, dot, bound = [], None, {}
        for m in re.finditer(r"\{\{-?(.*?)-?\}\}", text, flags=re.S):
            a = m.group(1).strip()
            for vm in re.finditer(r"(\$" + IDENT + r")\s*:?=\s*(\$?)(" + PATH + ")", a):
                var, dollar, p = vm.group(1), vm.group(2), vm.group(3)[1:]
                if p.startswith("Values."):
                    bound[var] = p[7:]
                elif not dollar and dot:
                    bound[var] = dot + "." + p
            for vm in re.finditer(r"(\$" + IDENT + r")(" + PATH + ")", a):
                if bound.get(vm.group(1)):
                    refs.add(bound[vm.group(1)] + vm.group(2))
            for vm in re.finditer(r"\.Values(" + PATH + ")", a):
                refs.add(vm.group(1)[1:])
            for vm in rel_re.finditer(a):
                p = vm.group(1)[1:]
                if dot and p.split(".")[0] not in BUILTIN:
                    refs.add(dot + "." + p)
            if any(w in a for w in WHOLE):
                for vm in re.finditer(r"\.Values(" + PATH + ")", a):
                    whole.add(vm.group(1)[1:])
                for vm in re.finditer(r"(\$" + IDENT + r")(" + PATH + ")?", a):
                    if bound.get(vm.group(1)):
                        whole.add(bound[vm.group(1)] + (vm.group(2) or ""))
                if dot and re.search(r"(toYaml|toJson|tpl)\s+\.(\s|\)|$)", a):
                    whole.add(dot)
                for vm in rel_re.finditer(a):
                    p = vm.group(1)[1:]
                    if dot and p.split(".")[0] not in BUILTIN:
                        whole.add(dot + "." + p)
            words = a.split()
            kw = words[0] if words else ""
            if kw in ("if", "define", "block"):
                stack.append(dot)
                if kw != "if":
                    dot = None
            elif kw in ("with", "range"):
                stack.append(dot)
                target = re.search(r"(\$?)(" + PATH + r")\s*$", a) or re.search(r"(\$?)(" + PATH + ")", a)
                new = None
                if target:
                    dollar, p = target.group(1), target.group(2)[1:]
                    if p.startswith("Values."):
                        new = p[7:]
                    elif not dollar and dot:
                        new = dot + "." + p
                if kw == "range" and new is not None:
                    new += "[]"
                for vm in re.finditer(r"(\$" + IDENT + r")\s*(?:,\s*(\$" + IDENT + r"))?\s*:=", a):
                    bound[vm.group(2) or vm.group(1)] = new
                dot = new
            elif kw == "end":
                dot = stack.pop() if stack else None
    return sorted(k + ".*" if k in whole else k for k in (refs | whole))


def values_keys(path):
    out = set()

    def walk(d, p):
        if isinstance(d, dict) and d:
            for k, v in d.items():
                walk(v, p + [str(k)])
        elif d is None or isinstance(d, (dict, list)):
            out.add(".".join(p) + ".*")
        else:
            out.add(".".join(p))

    with open(path) as f:
        walk(yaml.safe_load(f), [])
    return sorted(out)


def c_string(s):
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def main():
    boris, eedir = sys.argv[1], sys.argv[2]
    tables = []
    for tag in BORIS_TAGS:
        head = git(boris, "rev-parse", tag + "^{commit}").strip()[:12]
        tables.append(("DIFY_LINE_COMMUNITY", tag[len("dify-"):],
                       "BorisPolonsky/dify-helm tag %s (%s), charts/dify/templates" % (tag, head),
                       template_keys(boris, tag)))
    for v in EE_VERSIONS:
        tables.append(("DIFY_LINE_ENTERPRISE", v,
                       "Dify EE chart %s, published values.yaml (langgenius.github.io/dify-helm)" % v,
                       values_keys("%s/%s.yaml" % (eedir, v))))
    emit(tables)


def emit(tables):
    """Writes the C file: every key once, sorted, with a bit per chart version
    that reads it (the versions share most of their keys)."""
    union = {}
    for bit, (_, _, _, keys) in enumerate(tables):
        for k in keys:
            union[k] = union.get(k, 0) | (1 << bit)
    print("/* core/chart_keys_data.c: written by scripts/chart_keys.py; do not edit.")
    print(" * The value keys the supported chart versions read (core/chart_keys.h):")
    print(" * every key once, with a bit for each version that reads it. */")
    print('#include "config.h"\n')
    print('#include "core/chart_keys.h"\n#include "core/util.h"\n')
    print("/* bits: %s */" % ", ".join("%d %s" % (1 << i, t[1]) for i, t in enumerate(tables)))
    print("const struct chart_key chart_keys_all[] = {")
    for k in sorted(union):
        print("    {%s, 0x%02x}," % (c_string(k), union[k]))
    print("};")
    print("const size_t chart_keys_nall = ARRAY_LEN(chart_keys_all);\n")
    print("const struct chart_keys chart_keys_tables[] = {")
    for bit, (line, version, source, keys) in enumerate(tables):
        print("    {%s, %s,\n     %s,\n     0x%02x, %d}," % (
            line, c_string(version), c_string(source), 1 << bit, len(keys)))
    print("};")
    print("const size_t chart_keys_ntables = ARRAY_LEN(chart_keys_tables);")

if __name__ == "__main__":
    main()
