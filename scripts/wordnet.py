"""Read Debian's WordNet 3.0 (``wordnet-base``: /usr/share/wordnet) with nltk's reader.

nltk 3.10 reads it only with a small subclass: its path sandbox needs the root on
``nltk.data.path``, Debian ships no ``lexnames`` file (the 45 standard lines are given
here), and ``map_wn()`` (a mapping to Open English WordNet) must be bypassed. Build time
only: ``pip install nltk``.
"""

from __future__ import annotations

import io
import warnings

DEFAULT_ROOT = "/usr/share/wordnet"
_LEXNAMES = (
    "adj.all adj.pert adv.all noun.Tops noun.act noun.animal noun.artifact noun.attribute noun.body "
    "noun.cognition noun.communication noun.event noun.feeling noun.food noun.group noun.location "
    "noun.motive noun.object noun.person noun.phenomenon noun.plant noun.possession noun.process "
    "noun.quantity noun.relation noun.shape noun.state noun.substance noun.time verb.body verb.change "
    "verb.cognition verb.communication verb.competition verb.consumption verb.contact verb.creation "
    "verb.emotion verb.motion verb.perception verb.possession verb.social verb.stative verb.weather adj.ppl"
).split()
_POS_NUM = {"noun": 1, "verb": 2, "adj": 3, "adv": 4}


def lexnames() -> str:
    return "".join(f"{i:02d}\t{n}\t{_POS_NUM[n.split('.')[0]]}\n" for i, n in enumerate(_LEXNAMES))


def open_wordnet(root: str = DEFAULT_ROOT):
    import nltk
    from nltk.corpus.reader.wordnet import WordNetCorpusReader

    class DebianWordNet(WordNetCorpusReader):
        def map_wn(self, version="oewn"):  # noqa: ARG002 - nothing to map: this is WordNet 3.0 itself
            return None

        def open(self, filename):
            if filename == "lexnames":
                return io.StringIO(lexnames())
            return super().open(filename)

    if root not in nltk.data.path:
        nltk.data.path.append(root)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return DebianWordNet(root, None)
