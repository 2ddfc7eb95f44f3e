"""Broken encodings (mojibake) repaired with ftfy, each repair an edit of its own.

Only ftfy's encoding fixes are used (``fix_encoding``, ``restore_byte_a0``,
``replace_lossy_sequences``, ``decode_inconsistent_utf8``, ``fix_c1_controls``,
``fix_surrogates``): the ones that change nothing in correctly decoded text. Its
clean-up fixes (curly quotes, ligatures, character width, line breaks, NFC, control
characters, HTML entities) would change clean text and are off.

A line ftfy changes is compared with its repair character by character; each changed
stretch becomes an :class:`~wordfix.Edit` with exact offsets and the source
``"ftfy: <steps>"``, the steps being ftfy's own explanation of that stretch
(``"ftfy: encode sloppy-windows-1252, decode utf-8"``).
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from .restoration import Alternative, Edit


@lru_cache(maxsize=1)
def _config():
    import ftfy

    return ftfy.TextFixerConfig(
        unescape_html=False,
        remove_terminal_escapes=False,
        fix_latin_ligatures=False,
        fix_character_width=False,
        uncurl_quotes=False,
        fix_line_breaks=False,
        remove_control_chars=False,
        normalization=None,
        explain=True,
    )


def _fix(text: str) -> tuple[str, str]:
    import ftfy

    fixed, steps = ftfy.fix_and_explain(text, config=_config())
    return fixed, ", ".join(f"{action} {param}" for action, param in steps or ())


def encoding_edits(text: str, offset: int = 0) -> list[Edit]:
    """The mojibake repairs of ``text`` as edits, offsets shifted by ``offset``."""
    if text.isascii():
        return []
    edits: list[Edit] = []
    pos = 0
    for line in text.splitlines(keepends=True):
        start, pos = pos, pos + len(line)
        if line.isascii():
            continue
        fixed, steps = _fix(line)
        if fixed == line:
            continue
        regions: list[list[int]] = []
        for op, i1, i2, j1, j2 in SequenceMatcher(None, line, fixed, autojunk=False).get_opcodes():
            if op == "equal":
                continue
            # Widen over the non-ASCII characters around it that happen to be left equal
            # ("Â©" -> "©" is one repair, not the deletion of "Â").
            while i1 > 0 and j1 > 0 and not line[i1 - 1].isascii() and (not regions or regions[-1][1] < i1):
                i1, j1 = i1 - 1, j1 - 1
            while i2 < len(line) and j2 < len(fixed) and not line[i2].isascii() and line[i2] == fixed[j2]:
                i2, j2 = i2 + 1, j2 + 1
            if regions and regions[-1][1] >= i1:
                regions[-1][1], regions[-1][3] = max(regions[-1][1], i2), max(regions[-1][3], j2)
            else:
                regions.append([i1, i2, j1, j2])
        for i1, i2, j1, j2 in regions:
            before, after = line[i1:i2], fixed[j1:j2]
            own, own_steps = _fix(before) if before else ("", "")
            why = own_steps if own == after and own_steps else steps
            source = f"ftfy: {why}"
            alts = (Alternative(before, 0.0, "keep"), Alternative(after, 1.0, source))
            a = offset + start + i1
            edits.append(Edit(a, a + len(before), before, after, 1.0, source, alts))
    return edits
