"""The Unified-LoRA learning-rate controller, bit-identical to the unified-lora Swift reference.

``Controller``, ``Parameters`` (``Parameters.report()``, ``Parameters.repo()``), ``LossJumpStress``,
``RecordWriter``; ``UnifiedLoRAScheduler`` (needs torch) from ``unified_lora.scheduler``, also
importable here when torch is installed.
"""

from .controller import Controller
from .equations import classify, repo_step, report_step
from .errors import InputError, ParameterError
from .log import COLUMNS, RecordWriter, format_record
from .parameters import (MIRROR, MODE_NAMES, MULTI, SINGLE, LearningRates, Parameters, State)
from .stress import LossJumpStress

__version__ = "0.1.0"

__all__ = ["Controller", "Parameters", "LearningRates", "State", "LossJumpStress",
           "ParameterError", "InputError", "RecordWriter", "format_record", "COLUMNS",
           "SINGLE", "MULTI", "MIRROR", "MODE_NAMES", "classify", "report_step", "repo_step",
           "UnifiedLoRAScheduler"]


def __getattr__(name):
    if name == "UnifiedLoRAScheduler":
        from .scheduler import UnifiedLoRAScheduler
        return UnifiedLoRAScheduler
    raise AttributeError(name)
