"""The controller a training loop embeds (Sources/UnifiedLoRA/Controller.swift): a thin stateful
wrapper around the pure step, with the input policies of ``InputPolicy``."""

from .equations import repo_saturated_step, repo_step, report_step
from .errors import InputError, ParameterError, is_valid
from .parameters import POLICIES, Parameters, State
from .stress import LossJumpStress

STATE_DICT_VERSION = 1


class Controller(object):
    """``update(loss, env=0.0)`` consumes one step and returns ``η[M]``, the learning rate of the
    next optimizer step. ``learning_rate`` is the current ``η[M]``.

    ``policy`` says what an invalid input (NaN, ±∞, negative) does: ``reject`` (raise
    ``InputError``; the state and step counter are unchanged; the default), ``saturate`` (an
    invalid loss counts as maximal stress ``D = 1``; an invalid env is still rejected) or ``skip``
    (the state is left as it is; the step counter advances).

    ``stress``: a ``LossJumpStress`` makes the external stress the measured loss-jump signal of
    the losses (report variant only); ``update`` then takes no ``env``.
    """

    def __init__(self, parameters=None, policy="reject", first_step=0, stress=None):
        if parameters is None:
            parameters = Parameters.report()
        if not isinstance(parameters, Parameters):
            raise TypeError("parameters must be a Parameters, got %r" % (parameters,))
        if policy not in POLICIES:
            raise ParameterError("on-invalid", str(policy), "reject, saturate or skip")
        if stress is not None and parameters.variant != "report":
            raise ParameterError("env", "loss-jump",
                                 "a logged column: the repo variant has no external stress")
        self.parameters = parameters
        self.policy = policy
        self.state = parameters.initial.copy()
        self.next_step = int(first_step)
        self.stress = stress
        self.last_env = 0.0

    @property
    def learning_rate(self):
        return self.parameters.lr[self.state.mode]

    @property
    def mode(self):
        return self.state.mode

    def update(self, loss, env=None):
        """Consumes one step's loss (and external stress) and returns the next learning rate.

        Raises ``InputError`` naming the step, the field and the value (policy ``reject``, or an
        invalid env under ``saturate``); the controller is then unchanged."""
        loss = float(loss)
        t = self.next_step
        stress = None
        if self.stress is not None:
            if env is not None:
                raise TypeError("this controller measures env with its LossJumpStress; pass only the loss")
            stress = self.stress.copy()
            env = stress.measure(loss)
        else:
            env = 0.0 if env is None else float(env)
        nxt = self._step(self.state, t, loss, env)
        if nxt is not None:
            self.state = nxt
        if stress is not None:
            self.stress = stress
        self.last_env = env
        self.next_step = t + 1
        return self.learning_rate

    def _step(self, s, t, loss, env):
        p = self.parameters
        if is_valid(loss):
            if is_valid(env):
                if p.variant == "report":
                    return report_step(s, loss, env, t, p)
                return repo_step(s, loss, t, p)
            field, value = "env", env
        else:
            field, value = "loss", loss
        if self.policy == "reject":
            raise InputError(t, field, value)
        if self.policy == "skip":
            return None
        if field != "loss":
            raise InputError(t, field, value)
        if p.variant == "report":
            if not is_valid(env):
                raise InputError(t, "env", env)
            return report_step(s, loss, env, t, p, squashed_loss=1.0)
        return repo_saturated_step(s, t, p)

    def reset(self, first_step=0):
        """Back to the initial state and ``first_step`` (the signal's baseline is forgotten)."""
        self.state = self.parameters.initial.copy()
        self.next_step = int(first_step)
        if self.stress is not None:
            self.stress = LossJumpStress(self.stress.lambda_)
        self.last_env = 0.0

    def state_dict(self):
        """Everything needed to resume bit for bit: parameters, state, step counter, policy, and
        the signal's baseline. Plain Python values (floats kept exactly; JSON- and
        ``torch.save``-friendly)."""
        return {
            "version": STATE_DICT_VERSION,
            "parameters": self.parameters.as_dict(),
            "state": self.state.as_dict(),
            "next_step": self.next_step,
            "policy": self.policy,
            "stress": None if self.stress is None else self.stress.state_dict(),
            "last_env": self.last_env,
        }

    def load_state_dict(self, d):
        """Restores ``state_dict()`` output, validating the parameters and the state again
        (``ParameterError`` names the field; the controller is unchanged on error)."""
        if d.get("version") != STATE_DICT_VERSION:
            raise ParameterError("version", str(d.get("version")), str(STATE_DICT_VERSION))
        parameters = Parameters.from_dict(d["parameters"])
        st = d["state"]
        state = State(float(st["ehat"]), float(st["phi"]), st["mode"], st["last_switch"])
        if state.mode not in (0, 1, 2):
            raise ParameterError("state.mode", str(state.mode), "0, 1 or 2")
        state.validate(prefix="state")
        policy = d["policy"]
        if policy not in POLICIES:
            raise ParameterError("on-invalid", str(policy), "reject, saturate or skip")
        stress = None
        if d.get("stress") is not None:
            stress = LossJumpStress(d["stress"]["lambda"], d["stress"]["baseline"])
            if parameters.variant != "report":
                raise ParameterError("env", "loss-jump",
                                     "a logged column: the repo variant has no external stress")
        self.parameters = parameters
        self.state = state
        self.next_step = int(d["next_step"])
        self.policy = policy
        self.stress = stress
        self.last_env = float(d.get("last_env", 0.0))

    def record(self, loss):
        """The trace record of the step just consumed: (step, loss, env, ehat, phi, mode, lr)."""
        s = self.state
        return (self.next_step - 1, float(loss), self.last_env, s.ehat, s.phi, s.mode,
                self.learning_rate)
