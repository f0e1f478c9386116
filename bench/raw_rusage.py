#!/usr/bin/python3
"""Runs a command under /usr/bin/time and reports its peak resident memory
and wall time.

  raw_rusage.py [--stop-after SECONDS] [--signal NAME] [--cwd DIR] -- CMD ARGS...

Why /usr/bin/time and not wait4() here: Linux keeps a process's peak RSS
across exec, so a child forked from Python starts with Python's ~14 MB
already counted; GNU time is a small C program, so the figure is the
command's own (within about 1.5 MB).

--stop-after sends SIGNAL (default INT) to the command after SECONDS, then
SIGKILL 10 s later if it still runs: for tools that scan until stopped and
allocate their memory up front (masscan, zmap). The signal goes to the
command's process id (GNU time itself ignores SIGINT). Prints one line:

  maxrss_kb=N wall_s=S status=R stopped=0|1
"""
import os
import signal
import subprocess
import sys
import tempfile
import time


def child_of(pid):
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as f:
            kids = f.read().split()
        return int(kids[0]) if kids else None
    except OSError:
        return None


def main(argv):
    stop_after, signame, cwd = None, "INT", None
    args = argv[1:]
    while args and args[0] != "--":
        if args[0] == "--stop-after":
            stop_after = float(args[1])
            args = args[2:]
        elif args[0] == "--signal":
            signame = args[1]
            args = args[2:]
        elif args[0] == "--cwd":
            cwd = args[1]
            args = args[2:]
        else:
            print(__doc__, file=sys.stderr)
            return 2
    cmd = args[1:]
    if not cmd:
        print(__doc__, file=sys.stderr)
        return 2
    with tempfile.NamedTemporaryFile("r", suffix=".time") as out:
        proc = subprocess.Popen(["/usr/bin/time", "-o", out.name, "-f", "%M %e %x"] + cmd, cwd=cwd)
        stopped = 0
        deadline = None if stop_after is None else time.monotonic() + stop_after
        while proc.poll() is None:
            if deadline is not None and time.monotonic() >= deadline:
                target = child_of(proc.pid)
                if target is not None:
                    os.kill(target, signal.SIGKILL if stopped else getattr(signal, "SIG" + signame))
                stopped = 1
                deadline = time.monotonic() + 10
            time.sleep(0.05)
        lines = [l.split() for l in out.read().splitlines() if l and l[0].isdigit()]
    if not lines:
        print("maxrss_kb=0 wall_s=0 status=255 stopped=%d" % stopped)
        return 1
    maxrss, wall, status = lines[-1][:3]
    print(f"maxrss_kb={maxrss} wall_s={wall} status={status} stopped={stopped}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
