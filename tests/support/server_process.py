"""A server script of tests/support run as a child process: it binds a free port of 127.0.0.1, says
"listening on <port>" on its first line, and is stopped by its PID (terminate, then kill after 10 s)."""

import os
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


class ServerProcess:
    """`script` (a file beside this one) started with `arguments`; `with` stops it at the end. `base` is its URL."""

    def __init__(self, script, *arguments):
        self.process = subprocess.Popen([sys.executable, os.path.join(HERE, script), *arguments],
                                        stdout=subprocess.PIPE, text=True)
        line = self.process.stdout.readline()
        if not line.startswith("listening on "):
            self.stop()
            raise RuntimeError(f"{script} did not start (it said {line!r})")
        self.base = f"http://127.0.0.1:{int(line.split()[2])}"

    def __enter__(self):
        return self

    def __exit__(self, *failure):
        self.stop()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
