"""wordfix: restore text damaged by article spinners and tortured-phrase generators.

>>> import wordfix
>>> r = wordfix.restore(spun_text)
>>> r.text, r.edits, r.diff()
"""

from .batch import restore_many
from .config import Config
from .errors import TableError
from .restoration import Alternative, Detection, Edit, Restoration, SpanEvidence, apply_edits
from .restorer import Restorer, detect, restore

__version__ = "0.1.0"
__all__ = [
    "Alternative",
    "Config",
    "Detection",
    "Edit",
    "Restoration",
    "Restorer",
    "SpanEvidence",
    "TableError",
    "apply_edits",
    "detect",
    "restore",
    "restore_many",
    "__version__",
]
