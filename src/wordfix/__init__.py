"""wordfix: restore text damaged by article spinners and tortured-phrase generators.

>>> import wordfix
>>> r = wordfix.restore(spun_text)
>>> r.text, r.edits, r.diff()
"""

from .batch import restore_many
from .config import Config
from .errors import TableError
from .restoration import Alternative, Edit, Restoration, apply_edits
from .restorer import Restorer, restore

__version__ = "0.1.0"
__all__ = [
    "Alternative",
    "Config",
    "Edit",
    "Restoration",
    "Restorer",
    "TableError",
    "apply_edits",
    "restore",
    "restore_many",
    "__version__",
]
