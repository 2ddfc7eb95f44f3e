"""Every documented field of wordfix.Config is an option of every command that restores,
generated from the dataclass (issue 14), and the value given reaches the Restorer."""

from __future__ import annotations

import io
import json
import re
from dataclasses import fields

import pytest

from wordfix import Config, cli
from wordfix.cli.options import UsageError, config_docs, config_from_args
from wordfix.restorer import Restorer
from wordfix.tables import bundled_tables

RESTORING = ("fix", "score", "review", "apply")
SPUN = (
    "They area unit Associate in Nursing example, and it is a similar story. We ne'er ascertain those that "
    "conjointly square measure obsessed with it, however the sole metric within the finish that basically counts.\n"
)
# A value for each field that is not its default (the tables: a bundled one; scorer stays
# "ngram", since "neural" needs the optional extra; given explicitly, it is still a value).
NON_DEFAULT = {
    "scorer": ["--scorer", "ngram"],
    "tables": ["--tables", str(bundled_tables()[0])],
    "extra_tables": ["--table", str(bundled_tables()[-1])],
    "protect": ["--protect", "Acme", "--protect", "area unit"],
    "min_confidence": ["--min-confidence", "0.77"],
    "weak_tables": ["--weak-tables", "mine.tsv", "--weak-tables", "thesaurus_mythes.tsv"],
    "weak_min_confidence": ["--weak-min-confidence", "0.95"],
    "spin_prior": ["--spin-prior", "0.003"],
    "learned_spin_prior": ["--learned-spin-prior", "0.002"],
    "min_spin": ["--min-spin", "0.8"],
    "sure_confidence": ["--sure-confidence", "0.999"],
    "sure_max_words": ["--sure-max-words", "100"],
    "habit_confidence": ["--habit-confidence", "0.95"],
    "promoted_min_confidence": ["--promoted-min-confidence", "0.8"],
    "assume_spun": ["--assume-spun"],
    "detect_threshold": ["--detect-threshold", "0.6"],
    "length_bonus": ["--length-bonus", "0.25"],
    "type_evidence": ["--no-type-evidence"],
    "neural_weight": ["--neural-weight", "0.4"],
    "max_candidates": ["--max-candidates", "12"],
    "lm_weight": ["--lm-weight", "0.6"],
    "phrase_lm_weight": ["--phrase-lm-weight", "0.7"],
    "beam": ["--beam", "7"],
    "chunk_chars": ["--chunk-chars", "5000"],
    "format": ["--format", "html"],
    "fix_encoding": ["--fix-encoding"],
    "spintax": ["--no-spintax"],
    # the tuned numbers
    "cut_factor": ["--cut-factor", "50"],
    "agreement_gain": ["--agreement-gain", "2.5"],
    "max_log_r": ["--max-log-r", "5.5"],
    "max_artifact_log_r": ["--max-artifact-log-r", "9"],
    "signature_gain": ["--signature-gain", "3"],
    "signature_min_log_r": ["--signature-min-log-r", "7"],
    "family_floor": ["--family-floor", "0.03"],
    "evidence_spans": ["--evidence-spans", "500"],
    "screen_candidates": ["--screen-candidates", "8"],
    "withheld_from": ["--withheld-from", "0.02"],
    "lower_start": ["--lower-start", "3"],
    "upper_start": ["--upper-start", "0.3"],
    "lam_max": ["--lam-max", "0.8"],
    "type_pseudo": ["--type-pseudo", "3"],
    "present_gain": ["--present-gain", "0.5"],
    "habit_rate": ["--habit-rate", "0.7"],
    "habit_min_weight": ["--habit-min-weight", "0.4"],
    "comma_weight": ["--comma-weight", "0.7"],
    "prune_margin": ["--prune-margin", "5"],
    "prune_keep": ["--prune-keep", "3"],
    "neural_certain": ["--neural-certain", "0.95"],
    "neural_options": ["--neural-options", "3"],
    "neural_prefix_words": ["--neural-prefix-words", "10"],
    "neural_suffix_words": ["--neural-suffix-words", "5"],
    "oov_logp": ["--oov-logp", "-18"],
    "web_offset": ["--web-offset", "-1.5"],
    "num_logp": ["--num-logp", "-5"],
    "prior_sample": ["--prior-sample", "100"],
    "max_spun_share": ["--max-spun-share", "0.2"],
    "prior_pseudo_documents": ["--prior-pseudo-documents", "3"],
}
EXPECTED = {
    "scorer": "ngram",
    "tables": (str(bundled_tables()[0]),),
    "extra_tables": (str(bundled_tables()[-1]),),
    "protect": ("Acme", "area unit"),
    "min_confidence": 0.77,
    "weak_tables": ("mine.tsv", "thesaurus_mythes.tsv"),
    "weak_min_confidence": 0.95,
    "spin_prior": 0.003,
    "learned_spin_prior": 0.002,
    "min_spin": 0.8,
    "sure_confidence": 0.999,
    "sure_max_words": 100,
    "habit_confidence": 0.95,
    "promoted_min_confidence": 0.8,
    "assume_spun": True,
    "detect_threshold": 0.6,
    "length_bonus": 0.25,
    "type_evidence": False,
    "neural_weight": 0.4,
    "max_candidates": 12,
    "lm_weight": 0.6,
    "phrase_lm_weight": 0.7,
    "beam": 7,
    "chunk_chars": 5000,
    "format": "html",
    "fix_encoding": True,
    "spintax": False,
    "cut_factor": 50.0,
    "agreement_gain": 2.5,
    "max_log_r": 5.5,
    "max_artifact_log_r": 9.0,
    "signature_gain": 3.0,
    "signature_min_log_r": 7.0,
    "family_floor": 0.03,
    "evidence_spans": 500,
    "screen_candidates": 8,
    "withheld_from": 0.02,
    "lower_start": 3.0,
    "upper_start": 0.3,
    "lam_max": 0.8,
    "type_pseudo": 3.0,
    "present_gain": 0.5,
    "habit_rate": 0.7,
    "habit_min_weight": 0.4,
    "comma_weight": 0.7,
    "prune_margin": 5.0,
    "prune_keep": 3,
    "neural_certain": 0.95,
    "neural_options": 3,
    "neural_prefix_words": 10,
    "neural_suffix_words": 5,
    "oov_logp": -18.0,
    "web_offset": -1.5,
    "num_logp": -5.0,
    "prior_sample": 100,
    "max_spun_share": 0.2,
    "prior_pseudo_documents": 3.0,
}


def subparser(name: str):
    return cli.build_parser()._subparsers._group_actions[0].choices[name]


def flags_of(name: str) -> dict[str, str]:
    """option string -> dest, of one command."""
    return {s: a.dest for a in subparser(name)._actions for s in a.option_strings}


def test_every_config_field_is_documented_and_covered_here():
    names = [f.name for f in fields(Config)]
    assert list(config_docs()) == names  # a new field without a docstring entry would get no option
    assert set(NON_DEFAULT) == set(names) == set(EXPECTED)
    for name, value in EXPECTED.items():
        assert getattr(Config(), name) != value or name == "scorer", name


@pytest.mark.parametrize("command", RESTORING)
def test_each_config_field_is_an_option_of_each_restoring_command(command):
    flags = flags_of(command)
    for f in fields(Config):
        flag = NON_DEFAULT[f.name][0]
        if f.name == "format" and command == "score":
            flag = "--input-format"  # score's --format is its output's
        assert flag in flags, f"{command} has no {flag} for Config.{f.name}"
        if f.name not in ("format",):
            assert flags[flag] == f.name
    help_text = re.sub(r"\s+", " ", subparser(command).format_help())
    assert "prior probability that a document is spun by the thesaurus family" in help_text  # from the docstring
    assert "--no-type-evidence" in help_text and "(default: 0.9)" in help_text


@pytest.mark.parametrize("command", RESTORING)
def test_each_value_reaches_the_config(command, tmp_path):
    doc = tmp_path / "doc.txt"
    doc.write_text(SPUN)
    argv = [command, str(doc)] + (["-d", "x.json"] if command == "apply" else [])
    for name, given in NON_DEFAULT.items():
        if name == "format" and command == "score":
            given = ["--input-format", given[1]]
        argv += given
    args = cli.build_parser().parse_args(argv)
    records = config_from_args(args, per_document=False)
    assert {f.name: getattr(records, f.name) for f in fields(Config)} == EXPECTED
    whole = config_from_args(args)  # whole documents: format and ftfy chosen per document
    assert (whole.format, whole.fix_encoding) == (Config().format, Config().fix_encoding)
    assert whole.beam == 7 and whole.protect == ("Acme", "area unit")


def test_left_out_options_keep_the_config_defaults(tmp_path):
    args = cli.build_parser().parse_args(["fix", str(tmp_path)])
    assert config_from_args(args) == Config()


def test_a_value_config_refuses_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(UsageError, match="min_confidence must be between 0 and 1"):
        config_from_args(cli.build_parser().parse_args(["fix", str(tmp_path), "--min-confidence", "1.5"]))
    with pytest.raises(SystemExit) as e:
        cli.main(["fix", str(tmp_path), "--beam", "0"])
    assert e.value.code == 2 and "beam must be >= 1" in capsys.readouterr().err
    doc = tmp_path / "doc.txt"
    doc.write_text(SPUN)
    assert cli.main(["review", str(doc), "--tables", str(tmp_path / "no.tsv"), "-o", str(tmp_path / "r.html")]) == 2
    assert "--tables" in capsys.readouterr().err


@pytest.fixture
def seen(monkeypatch) -> list[Config]:
    """The configs of the Restorers the commands warm up."""
    configs: list[Config] = []
    warm_up = Restorer.warm_up

    def spy(self):
        configs.append(self.config)
        return warm_up(self)

    monkeypatch.setattr(Restorer, "warm_up", spy)
    return configs


@pytest.mark.parametrize("command", RESTORING)
def test_a_value_on_the_command_line_reaches_the_restorer(command, tmp_path, seen, capsys, monkeypatch):
    doc = tmp_path / "doc.txt"
    doc.write_text(SPUN)
    beam = 2 + RESTORING.index(command)  # a config of its own: fix and score build Restorers once per config
    options = ["--beam", str(beam), "--no-type-evidence", "--protect", "Acme", "--min-confidence", "0.66"]
    if command == "apply":
        decisions = tmp_path / "d.json"
        monkeypatch.setattr("sys.stdin", io.StringIO("a\n"))
        review = ["review", str(doc), "-i", "-o", str(tmp_path / "out.txt"), "--decisions-out", str(decisions)]
        assert cli.main([*review, *options]) == 0
        seen.clear()
        argv = ["apply", str(doc), "-d", str(decisions), "-o", str(tmp_path / "applied.txt")]
    elif command == "review":
        argv = ["review", str(doc), "-o", str(tmp_path / "page.html")]
    else:
        argv = [command, str(doc), "-q"]
    assert cli.main([*argv, *options]) == 0
    assert seen, "no Restorer was built"
    c = seen[-1]
    assert (c.beam, c.type_evidence, c.protect, c.min_confidence) == (beam, False, ("Acme",), 0.66)
    if command == "apply":
        assert json.loads((tmp_path / "d.json").read_text())["schema"] == "wordfix.decisions/1"
        assert (tmp_path / "applied.txt").read_text() == (tmp_path / "out.txt").read_text()
