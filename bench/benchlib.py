"""What the bench scripts share: timing a fresh process by its CPU seconds, geometric means,
and writing a report."""
import os
import statistics
import subprocess
import tempfile
import time


def run(argv, timeout=None):
    """(user+sys CPU seconds, exit code or None on timeout, stdout) of one fresh process."""
    with tempfile.TemporaryFile() as out:
        proc = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout if timeout else None
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG if deadline else 0)
            if pid:
                break
            if time.monotonic() > deadline:
                proc.kill()
                _, status, usage = os.wait4(proc.pid, 0)
                return usage.ru_utime + usage.ru_stime, None, b""
            time.sleep(0.02)
        out.seek(0)
        return usage.ru_utime + usage.ru_stime, os.waitstatus_to_exitcode(status), out.read()


def geomean(xs):
    """The geometric mean of the positive figures, or None when there are none."""
    xs = [x for x in xs if x]
    return statistics.geometric_mean(xs) if xs else None


def report(lines, out=None):
    """Prints the report's lines and writes them to `out` when given."""
    text = "\n".join(lines) + "\n"
    print(text)
    if out:
        with open(out, "w") as f:
            f.write(text)
