"""Drives ``unified-lora simulate`` as a co-process: one input line in, one record out, for
training loops that want the reference implementation itself rather than this package's copy.

    with SimulateCoprocess(["--variant", "report"]) as sim:
        record = sim.update(step, loss)          # {"step", "loss", "env", "ehat", "phi", "mode", "lr"}

It relies on ``simulate`` answering each line of a pipe as soon as it is read (per-record
flushing); an answer that does not come within ``timeout`` seconds raises ``TimeoutError``.
"""

import os
import select
import subprocess

from .log import COLUMNS


class CoprocessError(RuntimeError):
    """The binary stopped: its exit status and its error message (``Error: …``)."""


class SimulateCoprocess(object):
    def __init__(self, args=(), binary="unified-lora", timeout=10.0):
        self.timeout = timeout
        self._proc = subprocess.Popen(
            [binary, "simulate", "--format", "csv", "--input-format", "csv"] + list(args),
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        self._buffer = b""
        self._header = None
        self._send("step,loss,env\n")

    def _send(self, text):
        try:
            self._proc.stdin.write(text.encode())
            self._proc.stdin.flush()
        except BrokenPipeError:
            self._failed()

    def _failed(self):
        status = self._proc.wait()
        message = self._proc.stderr.read().decode(errors="replace").strip()
        raise CoprocessError("unified-lora simulate exited with status %d: %s" % (status, message))

    def _readline(self):
        fd = self._proc.stdout.fileno()
        while b"\n" not in self._buffer:
            ready, _, _ = select.select([fd], [], [], self.timeout)
            if not ready:
                raise TimeoutError("unified-lora simulate did not answer within %s s" % self.timeout)
            chunk = os.read(fd, 65536)
            if not chunk:
                self._failed()
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line.decode()

    def update(self, step, loss, env=0.0):
        """Sends one input record and returns the record the binary answers with."""
        self._send("%d,%r,%r\n" % (step, float(loss), float(env)))
        if self._header is None:
            self._header = self._readline().split(",")
            if tuple(self._header) != COLUMNS:
                raise CoprocessError("unexpected header %r" % (self._header,))
        cells = self._readline().split(",")
        record = {k: float(v) for k, v in zip(self._header, cells)}
        record["step"] = int(cells[0])
        record["mode"] = int(cells[5])
        return record

    def close(self):
        if self._proc.stdin and not self._proc.stdin.closed:
            self._proc.stdin.close()
        self._proc.wait()
        self._proc.stdout.close()
        self._proc.stderr.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
