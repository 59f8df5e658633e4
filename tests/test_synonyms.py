"""content/synonyms.yaml: the shipped defaults, a site's own list, and `path:line` errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from ingest_helpers import make_site, run_cli

from site_builder.build.search.assets import synonym_terms
from site_builder.build.search.synonyms import DEFAULT_SYNONYMS, Synonyms, load_synonyms
from site_builder.core.errors import SiteError

ROOT = Path(__file__).parent.parent


def test_a_site_without_the_file_gets_the_defaults_and_an_empty_list_turns_them_off(tmp_path: Path) -> None:
    defaults = load_synonyms(tmp_path / "synonyms.yaml")
    assert ("DPO", "direct preference optimization") in defaults.groups
    assert defaults == load_synonyms(DEFAULT_SYNONYMS)
    (tmp_path / "synonyms.yaml").write_text("[]\n", encoding="utf-8")
    assert load_synonyms(tmp_path / "synonyms.yaml") == Synonyms()


def test_the_bundled_site_ships_the_defaults() -> None:
    assert (ROOT / "content" / "synonyms.yaml").read_bytes() == DEFAULT_SYNONYMS.read_bytes()


def test_defaults_cover_the_field_s_acronyms() -> None:
    firsts = {group[0] for group in load_synonyms(DEFAULT_SYNONYMS).groups}
    wanted = [
        "RLHF",
        "DPO",
        "PPO",
        "LoRA",
        "MoE",
        "RAG",
        "CoT",
        "SFT",
        "ICL",
        "LLM",
        "VLM",
        "MLLM",
        "ViT",
        "NER",
        "QA",
        "ASR",
        "TTS",
    ]
    assert set(wanted) <= firsts
    assert "KV cache" in firsts


def test_entries_become_terms_as_a_query_sees_them() -> None:
    groups = Synonyms((("KV cache", "key-value cache"), ("MoE", "Mixture-of-Experts", "mixture of experts")))
    assert synonym_terms(groups) == [["kv cach", "kei valu cach"], ["moe", "mixtur expert"]]
    assert synonym_terms(Synonyms((("the", "a"),))) == []  # stop words only: nothing to match


def test_every_mistake_is_reported_with_its_line(tmp_path: Path) -> None:
    path = tmp_path / "synonyms.yaml"
    path.write_text("- [DPO, direct preference optimization]\n- DPO\n- [RAG]\n- [1, 2]\n", encoding="utf-8")
    with pytest.raises(SiteError) as err:
        load_synonyms(path, "content/synonyms.yaml")
    assert [p.format() for p in err.value.problems] == [
        "content/synonyms.yaml:2: error: a synonym group is a list of words or phrases, "
        "like `- [DPO, direct preference optimization]`",
        "content/synonyms.yaml:3: error: a synonym group needs two or more different entries: ['RAG']",
        "content/synonyms.yaml:4: error: a synonym group is a list of words or phrases, "
        "like `- [DPO, direct preference optimization]`",
    ]
    path.write_text("DPO: direct preference optimization\n", encoding="utf-8")
    with pytest.raises(SiteError) as err:
        load_synonyms(path, "content/synonyms.yaml")
    assert err.value.problems[0].line == 1


def test_build_reports_a_bad_file_as_path_line_message(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    root = make_site(tmp_path / "site", "dumps")
    (root / "content" / "synonyms.yaml").write_text("- [DPO, [nested]\n", encoding="utf-8")
    code, _, err = run_cli(capsys, "--root", str(root), "build")
    assert code != 0
    assert "synonyms.yaml:1: error: invalid YAML" in err
    assert "Traceback" not in err


def test_a_wrong_line_in_a_long_list_is_reported_at_that_line(tmp_path: Path) -> None:
    """`RecSys: recommender system` appended at line 49 was reported at line 5, where the
    list began ("while parsing a block collection")."""
    path = tmp_path / "synonyms.yaml"
    lines = ["# comment", "", "- [LLM, large language model]", *[f"- [a{i}, b{i}]" for i in range(6)]]
    path.write_text("\n".join([*lines, "RecSys: recommender system", ""]), encoding="utf-8")
    with pytest.raises(SiteError) as err:
        load_synonyms(path)
    assert [(p.line, p.message.split(":")[0]) for p in err.value.problems] == [
        (len(lines) + 1, "invalid YAML")
    ]
    path.write_text("- [LLM, large language model\n- [a, b]\n", encoding="utf-8")  # an unclosed bracket
    with pytest.raises(SiteError) as err:
        load_synonyms(path)
    assert [p.line for p in err.value.problems] == [1]  # where it opened
