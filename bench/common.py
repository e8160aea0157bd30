"""What every figure needs: timing in turn, roots and engines that are
cleaned up, the rootfs, the results table."""
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
TOP = os.path.dirname(HERE)


def log(msg):
    print(f"[bench {time.strftime('%H:%M:%S')}] {msg}", file=sys.stderr, flush=True)


def fnv1a(s):
    h = 2166136261
    for c in s.encode():
        h ^= c
        h = (h * 16777619) & 0xFFFFFFFF
    return h


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def cpu_ns(pid):
    with open(f"/proc/{pid}/schedstat") as f:
        return int(f.read().split()[0])


def fmt_ms(v):
    return f"{v * 1000:.1f}" if v < 10 else f"{v:.2f} s"


class Failed(Exception):
    pass


class Bench:
    def __init__(self, build, quick):
        self.build = build
        self.quick = quick
        self.work = tempfile.mkdtemp(prefix="corral-bench.")
        os.chmod(self.work, 0o755)
        self.rows = []       # dicts, see row()
        self.details = []    # (title, text) printed under the table
        self.notes = []
        self.roots = []
        self.cleanups = []   # callables, run last first
        self._rootfs = None
        self.py = sys.executable
        self.versions = {}

    # ---- programs -------------------------------------------------------
    def bin(self, name):
        return os.path.join(self.build, name)

    def corral(self, root, *args, **kw):
        return subprocess.run([self.bin("corral"), "--root", root, *args],
                              capture_output=True, text=True, **kw)

    def new_root(self, tag, pre=()):
        """A private corral root with its engine running (started, as an
        operator's would be, before anything is timed)."""
        root = os.path.join(self.work, f"root-{tag}")
        os.makedirs(root)
        self.roots.append(root)
        r = subprocess.run(list(pre) + [self.bin("corral"), "--root", root, "list"],
                           capture_output=True, text=True, timeout=60)
        if r.returncode != 0:
            raise Failed(f"engine for {root} did not start: {r.stderr.strip()}")
        return root

    def rootfs(self):
        if self._rootfs is None:
            d = os.path.join(self.work, "rootfs")
            subprocess.run(["sh", os.path.join(TOP, "tests/fixtures/mkrootfs-busybox.sh"), d],
                           check=True, capture_output=True)
            # The OS-container marker: printed by init once the system is up.
            with open(os.path.join(d, "etc/inittab"), "w") as f:
                f.write("::sysinit:/bin/echo corral-bench-ready\n"
                        "::respawn:/bin/sleep 100000\n")
            self._rootfs = d
        return self._rootfs

    def path(self, name):
        return os.path.join(self.work, name)

    def write(self, name, text):
        p = self.path(name)
        with open(p, "w") as f:
            f.write(text)
        return p

    def note_once(self, key, text):
        if not hasattr(self, "_noted"):
            self._noted = set()
        if key not in self._noted:
            self._noted.add(key)
            self.notes.append(text)

    def on_cleanup(self, fn):
        self.cleanups.append(fn)

    # ---- timing -----------------------------------------------------------
    def alternate(self, cmds, rounds, warmup=1, after=None):
        """Run every command of `cmds` (name -> argv or callable returning
        seconds) once per round, in turn, A B A B ...; returns name ->
        list of seconds, and name -> reason for the commands that failed
        (dropped from later rounds). `after(name)` runs untimed after each
        run (clean-up between runs)."""
        times = {n: [] for n in cmds}
        failed = {}
        for r in range(warmup + rounds):
            for name, cmd in cmds.items():
                if name in failed:
                    continue
                try:
                    if callable(cmd):
                        dt = cmd()
                    else:
                        t0 = time.perf_counter()
                        p = subprocess.run(cmd, stdin=subprocess.DEVNULL,
                                           stdout=subprocess.DEVNULL,
                                           stderr=subprocess.PIPE, timeout=120)
                        dt = time.perf_counter() - t0
                        if p.returncode != 0:
                            raise Failed(f"exit {p.returncode}: "
                                         f"{p.stderr.decode(errors='replace').strip()[-300:]}")
                except (Failed, subprocess.TimeoutExpired, OSError) as e:
                    failed[name] = str(e).replace("\n", " ")
                    log(f"   {name} failed: {failed[name]}")
                    continue
                finally:
                    if after:
                        after(name)
                if r >= warmup:
                    times[name].append(dt)
        return times, failed

    # ---- the table --------------------------------------------------------
    def row(self, figure, corral, peer, peer_val, ratio, goal, verdict):
        self.rows.append(dict(figure=figure, corral=corral, peer=peer, peer_val=peer_val,
                              ratio=ratio, goal=goal, verdict=verdict))

    def not_run(self, figure, reason, peer="", goal=""):
        self.row(figure, f"not run: {reason}", peer, "", "", goal, "—")

    def peer_not_run(self, figure, peer, reason, corral="", goal=""):
        self.row(figure, corral, peer, f"not run: {reason}", "", goal, "—")

    def detail(self, title, text):
        self.details.append((title, text))

    @staticmethod
    def stat(xs):
        return statistics.median(xs), min(xs), max(xs)

    @staticmethod
    def span(xs, unit="ms"):
        m, lo, hi = Bench.stat(xs)
        if unit == "ms":
            return f"{m * 1000:.1f} ms ({lo * 1000:.1f}–{hi * 1000:.1f})"
        if unit == "s":
            return f"{m:.2f} s ({lo:.2f}–{hi:.2f})"
        return f"{m:.2f} {unit} ({lo:.2f}–{hi:.2f})"

    def render(self, load0, load1, elapsed):
        uname = platform.uname()
        out = ["# corral benchmarks", "",
               f"Written by `make bench{' QUICK=1' if self.quick else ''}` "
               f"(bench/bench.py) on {time.strftime('%Y-%m-%d %H:%M %Z')}; "
               f"{elapsed:.0f} s. Medians with min–max; ratio = corral / peer "
               "(median over median). Peer and corral ran in turn (A B A B …) in "
               "the same run.", "",
               "| figure | corral | peer | peer figure | corral / peer | goal | goal met |",
               "| --- | --- | --- | --- | --- | --- | --- |"]
        for r in self.rows:
            out.append("| " + " | ".join(str(r[k]) for k in
                       ("figure", "corral", "peer", "peer_val", "ratio", "goal", "verdict"))
                       + " |")
        out += ["", "## Machine", "",
                f"- nproc {os.cpu_count()}, kernel {uname.release} ({uname.machine})",
                f"- load average at start {' '.join(load0)}, at the end {' '.join(load1)}"
                " (the machine was shared with other work: figures are noisy)",
                f"- cgroups: {cgroup_layout()}",
                "- versions: " + "; ".join(f"{k} {v}" for k, v in versions(self).items())]
        if self.notes:
            out += ["", "## Notes", ""] + [f"- {n}" for n in self.notes]
        for title, text in self.details:
            out += ["", f"### {title}", "", "```", text.rstrip(), "```"]
        return "\n".join(out) + "\n"

    # ---- clean-up ---------------------------------------------------------
    def cleanup(self):
        while self.cleanups:
            fn = self.cleanups.pop()
            try:
                fn()
            except Exception as e:
                log(f"cleanup: {e}")
        for root in self.roots:
            r = subprocess.run(["pgrep", "-f", f"corrald --root {root}( |$)"],
                               capture_output=True, text=True)
            if r.stdout.strip():
                # Destroy what still runs, then the engine.
                lst = self.corral(root, "list", "--name", timeout=30)
                for name in lst.stdout.split():
                    self.corral(root, "destroy", name, timeout=30)
                subprocess.run(["pkill", "-f", f"corrald --root {root}( |$)"])
            subprocess.run(["pkill", "-KILL", "-f", f"corral-monitor --root {root} "])
            remove_cgroups(f"corral-{fnv1a(root):08x}")
        self.roots = []
        if os.path.isdir(self.work):
            for _ in range(3):
                subprocess.run(["umount", "-R", "-l", self.work], capture_output=True)
                if subprocess.run(["rm", "-rf", "--one-file-system", self.work],
                                  capture_output=True).returncode == 0:
                    break
                time.sleep(0.5)


def remove_cgroups(name):
    """rmdir a cgroup tree named `name` under every hierarchy, deepest first."""
    base = "/sys/fs/cgroup"
    for h in sorted(os.listdir(base)):
        top = os.path.join(base, h, name)
        if not os.path.isdir(top):
            continue
        for dirpath, _, _ in sorted(os.walk(top), key=lambda w: -len(w[0])):
            try:
                os.rmdir(dirpath)
            except OSError:
                pass


def cgroup_layout():
    if os.path.exists("/sys/fs/cgroup/cgroup.controllers"):
        return "v2 (unified)"
    if os.path.isdir("/sys/fs/cgroup/unified"):
        return "hybrid (v1 controllers, cgroup2 at /sys/fs/cgroup/unified)"
    return "v1"


def first_line(argv):
    try:
        r = subprocess.run(argv, capture_output=True, text=True, timeout=10)
        return (r.stdout or r.stderr).strip().splitlines()[0]
    except (OSError, IndexError, subprocess.TimeoutExpired):
        return "missing"


def versions(b):
    if b.versions:
        return b.versions
    v = b.versions
    v["corral"] = first_line([b.bin("corral"), "version"]).replace("corral ", "")
    v["lxc"] = first_line(["lxc-start", "--version"])
    v["crun"] = first_line(["crun", "--version"]).replace("crun version ", "")
    v["systemd-nspawn"] = first_line(["systemd-nspawn", "--version"])
    v["conmon"] = first_line(["conmon", "--version"]).replace("conmon version ", "")
    v["tmux"] = first_line(["tmux", "-V"])
    v["hyperfine"] = first_line(["hyperfine", "--version"])
    v["busybox"] = first_line(["busybox"]).split(" multi-call")[0]
    return v
