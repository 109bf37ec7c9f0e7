"""A dashboard server for the benchmarks: started on 127.0.0.1 with a snapshot, or found
by its port; and its resident memory, read from /proc (or psutil when installed)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from bench import ROOT, SNAPSHOTS


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_full_snapshot(snapshot: Path) -> None:
    """Build the full-scale demo snapshot the benchmarks use, when it is missing."""
    if not (snapshot / "manifest.json").exists():
        from bench.__main__ import ensure_snapshot

        print(f"Building the full-scale demo snapshot in {snapshot} (about 10 s)…", flush=True)
        ensure_snapshot(snapshot.name, 1.0)


def start_server(snapshot: Path, port: int, *options: str) -> subprocess.Popen:
    """scripts/serve.py on 127.0.0.1:port with `snapshot` selected and no basemap; returns
    once the server answers its health check (or exits with the server's last words)."""
    env = {
        **os.environ,
        "DASHBOARD_SNAPSHOT": str(snapshot),
        "DASHBOARD_SNAPSHOTS_DIR": str(SNAPSHOTS / "none"),
        "DASHBOARD_BASEMAP": "off",
    }
    command = [sys.executable, "scripts/serve.py", "--server.address", "127.0.0.1", "--server.port", str(port)]
    command += ["--server.headless", "true", *options]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"The server stopped at start-up: {process.stderr.read().decode()[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.3)
    stop_server(process)
    raise SystemExit(f"The server did not answer on port {port} within 90 s.")


def stop_server(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process in MB (psutil when installed, else /proc/PID/status)."""
    try:
        import psutil
    except ImportError:
        psutil = None
    if psutil is not None:
        try:
            return psutil.Process(pid).memory_info().rss / 2**20
        except psutil.Error:
            return None
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def pid_listening_on(port: int) -> int | None:
    """The process listening on a local TCP port, from /proc (Linux; own processes only)."""
    inodes = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            fields = line.split()
            if int(fields[1].rsplit(":", 1)[1], 16) == port and fields[3] == "0A":  # LISTEN
                inodes.add(fields[9])
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            for fd in (proc / "fd").iterdir():
                target = os.readlink(fd)
                if target.startswith("socket:[") and target[8:-1] in inodes:
                    return int(proc.name)
        except OSError:
            continue
    return None


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) a process has used so far, from /proc/PID/stat."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
