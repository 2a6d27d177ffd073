#!/usr/bin/env python3
"""bench/watch_latency.py: how long a pod change on the server takes to show
in `dify-tui status --watch`, in `dify-tui get pods -w`, on the dashboard's
screen, and in the reference `kubectl get pods -w`, all watching the same
namespace of N pods in the same run (docs/bench.md).

dify-sim starts with N bare pods in namespace "load". Once every watcher
printed its first list, the driver changes RATE pods a second for SECONDS:
a strategic merge PATCH of the pod's status subresource setting its
container's restartCount to a new, ever larger number K (a restart, as the
kubelet reports one), over one kept-alive HTTPS connection. The change's
time is CLOCK_MONOTONIC just before the request is sent (the change happens
on the server somewhere within the request; `patch_ms_*` says how long the
requests took). A watcher has seen the change when it shows that pod with K
restarts:

  kubectl, get_w    a row "load-NNNNN ... K ..." read from its stdout
  status            a line "... pod/load-NNNNN: ... K restarts ..." (status
                    --watch prints a line per changed row)
  dashboard         `dify-tui dashboard` in a private tmux server (a real
                    terminal emulator reading its output), on the pods view
                    sorted by restarts, so the changed pod goes to the top
                    row; DIFY_TUI_FRAME_LOG=FILE makes it append every frame
                    with the CLOCK_MONOTONIC time it was written to the
                    terminal (screens/frame_log.c): the first frame with the
                    row "load-NNNNN ... K" is when it was on screen.

With --event job|deploy, the driver also makes, every --event-every seconds
of the same run, one of the events the model once derived whole for
(docs/bench.md): `job` creates a Job (dify-sim runs its pod to completion:
the Job, its pod added, changed, the Job complete), `deploy` creates a
Deployment of 2 replicas (its ReplicaSet and pods follow). The pod changes'
latencies and the CPU then say what those events cost beside them, and
event_ms_* how long each event took from its POST to the first `status
--watch` line naming it ("job NAME: ..." or ".../NAME: ...").

Lines read from the pipes are stamped with CLOCK_MONOTONIC when this script
reads them (one thread a pipe). Prints "key value" lines: for each watcher
<w>_ms_p50, _p99, _max, <w>_seen (of changes), and the CPU each watcher's
process used while the changes ran (% of one core). Not part of the test
suite; never a pass/fail.

  bench/watch_latency.py [--pods N] [--rate R] [--seconds S] [--build DIR]
                         [--no-kubectl] [--no-dashboard] [--no-status]
                         [--no-get] [--event job|deploy] [--event-every S]
                         [--dump FILE]
"""
import argparse
import http.client
import json
import os
import random
import re
import shutil
import ssl
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse


def now():
    return time.monotonic()


class Watcher:
    """A subprocess whose stdout lines are stamped as they are read."""

    def __init__(self, name, argv, env):
        self.name = name
        self.lines = []  # (monotonic seconds, line)
        self.lock = threading.Lock()
        self.proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     env=env)
        self.thread = threading.Thread(target=self.read, daemon=True)
        self.thread.start()

    def read(self):
        for raw in self.proc.stdout:
            t = now()
            with self.lock:
                self.lines.append((t, raw.decode("utf-8", "replace")))

    def count(self):
        with self.lock:
            return len(self.lines)

    def pid(self):
        return self.proc.pid

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()


def cpu_ticks(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            parts = f.read().rsplit(")", 1)[1].split()
        return int(parts[11]) + int(parts[12])
    except OSError:
        return None


def rss_mb(pid):
    try:
        with open("/proc/%d/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return None


def pct(values, p):
    if not values:
        return None
    v = sorted(values)
    return v[min(len(v) - 1, int(p * (len(v) - 1) + 0.5))]


def wait_until(what, cond, timeout):
    end = now() + timeout
    while now() < end:
        if cond():
            return
        time.sleep(0.1)
    sys.exit("watch_latency: %s did not happen within %d s" % (what, timeout))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--pods", type=int, default=10000)
    ap.add_argument("--rate", type=float, default=10.0)
    ap.add_argument("--seconds", type=float, default=30.0)
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), ".."))
    ap.add_argument("--no-kubectl", action="store_true")
    ap.add_argument("--no-dashboard", action="store_true")
    ap.add_argument("--no-status", action="store_true")
    ap.add_argument("--no-get", action="store_true")
    ap.add_argument("--event", choices=["none", "job", "deploy"], default="none")
    ap.add_argument("--event-every", type=float, default=2.0)
    ap.add_argument("--dump", metavar="FILE",
                    help="write one line a change: its CLOCK_MONOTONIC send time (s), the "
                    "pod, K, the PATCH's ms and each watcher's ms (- when unseen)")
    a = ap.parse_args()
    build = os.path.abspath(a.build)
    tui = os.path.join(build, "dify-tui")
    tmp = tempfile.mkdtemp(prefix="dify-watchlat.")
    sock = "dify-watchlat-%d" % os.getpid()
    tmux = ["tmux", "-L", sock, "-f", "/dev/null"]
    procs = []
    sim = None
    try:
        scn = os.path.join(tmp, "scn.yaml")
        with open(scn, "w") as f:
            f.write("name: bench\ndefaults: {scheduleDelay: 0.5, pullDelay: 1, readyDelay: 1}\n"
                    "bulk: {namespace: load, pods: %d, changesPerSecond: 0, "
                    "image: \"busybox:1.36\"}\n" % a.pods)
        kc = os.path.join(tmp, "kc.json")
        sim = subprocess.Popen([os.path.join(build, "sim", "dify-sim"), "--speed", "10",
                                "--history", "20000", "--scenario", scn, "--kubeconfig-out", kc],
                               stderr=open(os.path.join(tmp, "sim.err"), "w"))
        env = dict(os.environ, KUBECONFIG=kc, NO_PROXY="127.0.0.1,localhost",
                   LANG="C.UTF-8", LC_ALL="C.UTF-8")
        wait_until("dify-sim's kubeconfig", lambda: os.path.exists(kc) and os.path.getsize(kc) > 0,
                   300)
        time.sleep(0.2)
        cfg = json.load(open(kc))
        server = cfg["clusters"][0]["cluster"]["server"]
        token = cfg["users"][0]["user"]["token"]
        u = urllib.parse.urlsplit(server)
        ctx = ssl._create_unverified_context()
        conn = http.client.HTTPSConnection(u.hostname, u.port, context=ctx)
        hdr = {"Authorization": "Bearer " + token}

        def get(path):
            conn.request("GET", path, headers=hdr)
            r = conn.getresponse()
            return r.status, r.read()

        def up():
            try:
                st, body = get("/api/v1/namespaces/load/pods?fieldSelector=status.phase%3DPending"
                               "&limit=1")
                return st == 200 and b'"items":[]' in body
            except (OSError, http.client.HTTPException):
                conn.close()
                return False

        wait_until("every pod Running", up, 900)

        def post(kind, name):
            """A Job or a Deployment in namespace load, as kubectl create would."""
            tpl = {"spec": {"containers": [{"name": "main", "image": "busybox:1.36"}]}}
            if kind == "job":
                path = "/apis/batch/v1/namespaces/load/jobs"
                tpl["spec"]["restartPolicy"] = "Never"
                obj = {"apiVersion": "batch/v1", "kind": "Job", "metadata": {"name": name},
                       "spec": {"backoffLimit": 0, "template": tpl}}
            else:
                path = "/apis/apps/v1/namespaces/load/deployments"
                tpl["metadata"] = {"labels": {"app": name}}
                obj = {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": name},
                       "spec": {"replicas": 2, "selector": {"matchLabels": {"app": name}},
                                "template": tpl}}
            conn.request("POST", path, body=json.dumps(obj),
                         headers=dict(hdr, **{"Content-Type": "application/json"}))
            r = conn.getresponse()
            r.read()
            return r.status
        print("pods %d" % a.pods)
        print("rate_per_s %g" % a.rate)
        print("event %s" % a.event)

        watchers = {}
        if not a.no_kubectl:
            watchers["kubectl"] = Watcher("kubectl", ["kubectl", "get", "pods", "-n", "load", "-w"],
                                          env)
        if not a.no_get:
            watchers["get_w"] = Watcher("get_w", [tui, "get", "pods", "-n", "load", "-w"], env)
        if not a.no_status:
            watchers["status"] = Watcher("status", [tui, "-n", "load", "status", "--watch"], env)
        frames = os.path.join(tmp, "frames")
        dash_pid = None
        if not a.no_dashboard:
            cmd = ("exec env TERM=screen LANG=C.UTF-8 LC_ALL=C.UTF-8 KUBECONFIG='%s' "
                   "DIFY_TUI_FRAME_LOG='%s' '%s' -n load dashboard" % (kc, frames, tui))
            subprocess.check_call(tmux + ["new-session", "-d", "-s", "d", "-x", "120", "-y", "40",
                                          cmd], env=env)
            dash_pid = int(subprocess.check_output(tmux + ["display", "-p", "-t", "d",
                                                           "#{pane_pid}"]).decode())

        def screen():
            return subprocess.run(tmux + ["capture-pane", "-p", "-t", "d"], capture_output=True,
                                  text=True).stdout

        # every watcher has its first list: one row (line) a pod
        t_start = now()
        for w in watchers.values():
            wait_until(w.name + "'s first list", lambda: w.count() >= a.pods, 900)
        if dash_pid:
            wait_until("the dashboard's overview", lambda: "load-" in screen(), 900)
            subprocess.check_call(tmux + ["send-keys", "-t", "d", ":", "pods", "Enter"])
            wait_until("the pods view", lambda: "RESTARTS" in screen(), 60)
            subprocess.check_call(tmux + ["send-keys", "-t", "d", "s", "s"])
            wait_until("the pods view by restarts", lambda: "sorted by restarts" in screen(), 60)
        print("watchers_listed_s %.1f" % (now() - t_start))
        time.sleep(2)

        pids = {n: w.pid() for n, w in watchers.items()}
        if dash_pid:
            pids["dashboard"] = dash_pid
        ticks0 = {n: cpu_ticks(p) for n, p in pids.items()}
        # the changes
        changes = []  # (t_sent, pod, K)
        patch_ms = []
        events = []  # (t_sent, name)
        next_event = None if a.event == "none" else 0.0
        period = 1.0 / a.rate
        n = int(a.seconds * a.rate)
        base = 1000
        t0 = now()
        for k in range(n):
            due = t0 + k * period
            d = due - now()
            if next_event is not None and now() - t0 >= next_event:
                name = "bench-%s-%d" % (a.event, len(events))
                t = now()
                st = post(a.event, name)
                if st not in (200, 201):
                    sys.exit("watch_latency: POST %s %s: HTTP %d" % (a.event, name, st))
                events.append((t, name))
                next_event += a.event_every
                d = due - now()
            if d > 0:
                time.sleep(d)
            pod = "load-%05d" % random.randrange(a.pods)
            body = json.dumps({"status": {"containerStatuses": [
                {"name": "main", "restartCount": base + k}]}})
            t = now()
            conn.request("PATCH", "/api/v1/namespaces/load/pods/%s/status" % pod, body=body,
                         headers=dict(hdr, **{"Content-Type":
                                              "application/strategic-merge-patch+json"}))
            r = conn.getresponse()
            r.read()
            patch_ms.append((now() - t) * 1000)
            if r.status != 200:
                sys.exit("watch_latency: PATCH %s: HTTP %d" % (pod, r.status))
            changes.append((t, pod, base + k))
        t_end = now()
        time.sleep(3)
        hz = os.sysconf("SC_CLK_TCK")
        for name, p in pids.items():
            t1 = cpu_ticks(p)
            if ticks0[name] is not None and t1 is not None:
                print("%s_cpu_pct %.2f" % (name, (t1 - ticks0[name]) * 100.0 / hz /
                                          (t_end - t0 + 3)))
            r = rss_mb(p)
            if r is not None:
                print("%s_rss_mb %.1f" % (name, r))
        print("changes %d" % len(changes))
        print("events %d" % len(events))
        print("patch_ms_p50 %.1f" % pct(patch_ms, 0.5))
        print("patch_ms_p99 %.1f" % pct(patch_ms, 0.99))

        # when each watcher first showed (pod, K)
        seen = {}
        row = re.compile(r"^(load-\d+)\s+\S+\s+\S+\s+(\d+)\b")
        status_row = re.compile(r"pod/(load-\d+): .*? (\d+) restarts")
        for name, w in watchers.items():
            first = {}
            with w.lock:
                lines = list(w.lines)
            for t, line in lines:
                m = (status_row.search(line) if name == "status" else row.match(line))
                if m:
                    first.setdefault((m.group(1), int(m.group(2))), t)
            seen[name] = first
        if dash_pid:
            first = {}
            frow = re.compile(r"^\| (load-\d+)\s+\S+\s+\S+\s+(\d+)\b")
            t = None
            with open(frames, errors="replace") as f:
                for line in f:
                    if line.startswith("frame "):
                        t = float(line.split()[1])
                        continue
                    m = frow.match(line)
                    if m and t is not None:
                        first.setdefault((m.group(1), int(m.group(2))), t)
            seen["dashboard"] = first
        if events and "status" in watchers:
            with watchers["status"].lock:
                lines = list(watchers["status"].lines)
            lat = []
            for t, name in events:
                key = re.compile(r"(\bjob %s: |/%s: )" % (re.escape(name), re.escape(name)))
                ts = next((tl for tl, line in lines if tl >= t and key.search(line)), None)
                if ts is not None:
                    lat.append((ts - t) * 1000)
            print("event_seen %d" % len(lat))
            if lat:
                print("event_ms_p50 %.1f" % pct(lat, 0.5))
                print("event_ms_p99 %.1f" % pct(lat, 0.99))
                print("event_ms_max %.1f" % max(lat))
        if a.dump:
            names = [n for n in ["kubectl", "get_w", "status", "dashboard"] if n in seen]
            with open(a.dump, "w") as f:
                f.write("t_sent pod k patch_ms %s\n" % " ".join(names))
                for (t, pod, k), pm in zip(changes, patch_ms):
                    cols = []
                    for name in names:
                        ts = seen[name].get((pod, k))
                        cols.append("-" if ts is None else "%.2f" % ((ts - t) * 1000))
                    f.write("%.6f %s %d %.2f %s\n" % (t, pod, k, pm, " ".join(cols)))
                for t, name in events:
                    f.write("# event %.6f %s\n" % (t, name))
        for name in ["kubectl", "get_w", "status", "dashboard"]:
            if name not in seen:
                continue
            lat = []
            for t, pod, k in changes:
                ts = seen[name].get((pod, k))
                if ts is not None:
                    lat.append((ts - t) * 1000)
            print("%s_seen %d" % (name, len(lat)))
            if lat:
                print("%s_ms_p50 %.1f" % (name, pct(lat, 0.5)))
                print("%s_ms_p99 %.1f" % (name, pct(lat, 0.99)))
                print("%s_ms_max %.1f" % (name, max(lat)))
        sys.stdout.flush()
    finally:
        for w in list(locals().get("watchers", {}).values()):
            w.stop()
        subprocess.run(tmux + ["kill-server"], stderr=subprocess.DEVNULL)
        if sim:
            sim.terminate()
            sim.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
