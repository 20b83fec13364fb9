"""A PyTorch learning-rate scheduler driven by the controller.

    scheduler = UnifiedLoRAScheduler(optimizer, log="run.csv")
    for batch in data:
        loss = model(batch)
        optimizer.zero_grad(); loss.backward(); optimizer.step()
        scheduler.step(loss)            # the controller consumes the loss and sets the next lr

Every parameter group's learning rate is ``η[M]``: ``η[M_0]`` from construction on, then after
each ``step(loss)`` the rate the controller returns (the record convention of SPEC section 2: the
record of step t holds the state after consuming step t and the rate of the next optimizer step).
"""

from torch.optim.lr_scheduler import LRScheduler

from .controller import Controller
from .log import RecordWriter
from .parameters import Parameters


class UnifiedLoRAScheduler(LRScheduler):
    """``torch.optim.lr_scheduler.LRScheduler`` subclass: sets the learning rate from a
    ``Controller`` at each ``step(loss)`` and, with ``log``, writes one record per step in the
    format ``unified-lora audit`` reads.

    Arguments: ``optimizer``; ``controller`` (default: a report-variant ``Controller``; or give
    ``parameters``, ``policy``, ``stress`` to build one); ``log``: a path or an open text file
    (``log_append=True`` continues an existing file after a resume).
    """

    def __init__(self, optimizer, controller=None, parameters=None, policy="reject", stress=None,
                 log=None, log_append=False, last_epoch=-1):
        if controller is None:
            controller = Controller(parameters if parameters is not None else Parameters.report(),
                                    policy=policy, stress=stress)
        elif parameters is not None or stress is not None:
            raise TypeError("give either a controller or parameters/stress, not both")
        self.controller = controller
        self._writer = RecordWriter(log, append=log_append) if log is not None else None
        super().__init__(optimizer, last_epoch)

    def get_lr(self):
        return [self.controller.learning_rate for _ in self.optimizer.param_groups]

    def step(self, loss=None, epoch=None):
        """Consumes the loss of the optimizer step just taken and sets the learning rate of the
        next one. ``loss`` is a float or a one-element tensor (read with ``.item()``).

        Raises ``InputError`` for a NaN, infinite or negative loss under the ``reject`` policy (the
        controller and the learning rate are then unchanged, and nothing is logged)."""
        if epoch is not None:
            raise TypeError("UnifiedLoRAScheduler.step takes the loss, not an epoch")
        if getattr(self, "_step_count", 0) == 0:
            # The base class's first call, from __init__: set η[M_0].
            return super().step()
        if loss is None:
            raise TypeError("UnifiedLoRAScheduler.step needs the loss of the step: scheduler.step(loss)")
        value = loss.item() if hasattr(loss, "item") else float(loss)
        self.controller.update(value)
        if self._writer is not None:
            self._writer.write(self.controller.record(value))
        super().step()

    @property
    def mode(self):
        return self.controller.mode

    def state_dict(self):
        """The base class's counters and the controller's ``state_dict()`` (no file handles)."""
        d = {k: v for k, v in self.__dict__.items()
             if k not in ("optimizer", "controller", "_writer")}
        d["controller"] = self.controller.state_dict()
        return d

    def load_state_dict(self, state_dict):
        d = dict(state_dict)
        self.controller.load_state_dict(d.pop("controller"))
        self.__dict__.update(d)

    def close(self):
        """Closes the log file (if the scheduler opened it)."""
        if self._writer is not None:
            self._writer.close()
