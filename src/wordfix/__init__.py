"""wordfix: restore text damaged by article spinners and tortured-phrase generators.

    >>> import wordfix
    >>> r = wordfix.restore(spun_text)
    >>> r.text, r.edits, r.diff()
"""

from .config import Config
from .restoration import Alternative, Edit, Restoration, apply_edits
from .restorer import Restorer, restore
from .tables import TableError

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
    "__version__",
]
