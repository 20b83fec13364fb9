"""Per-step records in the CSV layout that ``unified-lora simulate`` prints and ``unified-lora
audit`` reads: ``step,loss,env,ehat,phi,mode,lr``, one line per step, each float the shortest
decimal that round-trips exactly (Python's ``repr``), the mode as 0/1/2."""

COLUMNS = ("step", "loss", "env", "ehat", "phi", "mode", "lr")


def format_record(record):
    step, loss, env, ehat, phi, mode, lr = record
    return "%d,%s,%s,%s,%s,%d,%s\n" % (step, repr(float(loss)), repr(float(env)), repr(ehat),
                                        repr(phi), mode, repr(lr))


class RecordWriter(object):
    """Writes records to a path (created or truncated; ``append=True`` continues a log after a
    resume) or to an open text file. Each line is flushed as it is written, so a run that stops
    leaves a log that audits up to its last step."""

    def __init__(self, target, append=False):
        if hasattr(target, "write"):
            self._file, self._owned = target, False
            write_header = True
        else:
            import os
            exists = append and os.path.exists(target) and os.path.getsize(target) > 0
            self._file = open(target, "a" if append else "w", encoding="utf-8")
            self._owned = True
            write_header = not exists
        if write_header:
            self._file.write(",".join(COLUMNS) + "\n")
            self._file.flush()

    def write(self, record):
        self._file.write(format_record(record))
        self._file.flush()

    def close(self):
        if self._owned and not self._file.closed:
            self._file.close()
