"""site.yaml and taxonomy.yaml: defaults, validation of every key, plain frozen data."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from site_builder.core.config import SiteConfig, load_site_config
from site_builder.core.errors import SiteError
from site_builder.core.taxonomy import Rule, Taxonomy, load_taxonomy

ROOT = Path(__file__).parent.parent


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def problems(call: object, *args: object) -> list[tuple[int, str]]:
    with pytest.raises(SiteError) as err:
        call(*args)  # type: ignore[operator]
    return [(p.line, p.message) for p in err.value.problems]


def test_a_missing_or_empty_site_yaml_means_every_default(tmp_path: Path) -> None:
    assert load_site_config(tmp_path / "site.yaml") == SiteConfig()
    assert load_site_config(write(tmp_path, "site.yaml", "# nothing\n")) == SiteConfig()


def test_the_bundled_site_yaml_spells_out_the_defaults() -> None:
    assert load_site_config(ROOT / "site_builder" / "site_template" / "site.yaml") == SiteConfig()


def test_every_setting_is_read_and_base_url_gets_its_slash(tmp_path: Path) -> None:
    text = (
        "title: T\ndescription: D\nbase_url: https://u.github.io/repo\nlanguage: de\n"
        "per_page: 10\nfeed_size: 20\nyear: 2025\nauthor: A\n"
    )
    config = load_site_config(write(tmp_path, "site.yaml", text))
    assert config == SiteConfig("T", "D", "https://u.github.io/repo/", "de", 10, 20, 2025, "A")


def test_every_problem_is_reported_at_once_with_its_line(tmp_path: Path) -> None:
    text = "titel: T\nper_page: 0\nyear: 1800\nbase_url: 'https://x.org/\n  and more'\nlanguage: 3\n"
    assert problems(load_site_config, write(tmp_path, "site.yaml", text)) == [
        (1, "unknown key 'titel'; did you mean 'title'?"),
        (
            4,
            "'base_url': expected an absolute http(s) URL such as https://user.github.io/repo/, "
            "got 'https://x.org/ and more'",
        ),
        (6, "'language': expected text, got 3"),
        (2, "'per_page': expected a whole number of at least 1, got 0"),
        (3, "'year': expected a year from 1970 to 2999, such as 2025, got 1800"),
    ]


def test_a_language_must_be_a_language_tag_and_the_title_not_empty(tmp_path: Path) -> None:
    """`language: en_US` (Jekyll's locale) made every page and feed invalid, and
    `language: English` said `lang="English"`; `title: ""` an empty <title>, `author: ""`
    an empty author on every feed entry."""
    text = "title: ' '\nlanguage: en_US\nauthor: ''\n"
    tag = "'language': expected a language tag such as en, en-GB or zh-Hans (BCP 47: a hyphen, not _), got "
    assert problems(load_site_config, write(tmp_path, "site.yaml", text)) == [
        (1, "'title': expected the site's name: it is every page's <title>"),
        (2, tag + "'en_US'"),
        (3, "'author': expected the name feed readers show as every entry's author (null: the site's title)"),
    ]
    assert problems(load_site_config, write(tmp_path, "site.yaml", "language: English\n")) == [
        (1, tag + "'English'")
    ]
    for language in ("en", "en-GB", "zh-Hans-CN", "de-CH-1996", "yue"):
        config = load_site_config(write(tmp_path, "ok.yaml", f"language: {language}\n"))
        assert config.language == language


@pytest.mark.parametrize("kept", [".", "*.html", "notes/[ab].txt", "../x", "/etc", "a//b"])
def test_keep_files_names_files_and_folders_not_patterns(tmp_path: Path, kept: str) -> None:
    """`keep_files: [.]` and `[\"*.html\"]` were taken and kept nothing: the files were deleted."""
    text = f"keep_files: ['{kept}']\n"
    assert problems(load_site_config, write(tmp_path, "site.yaml", text)) == [
        (
            1,
            "'keep_files': expected a list of paths of files or folders inside the output folder (no "
            f"patterns), such as [.git, CNAME], got ['{kept}']",
        )
    ]
    assert load_site_config(
        write(tmp_path, "ok.yaml", "keep_files: [.well-known, docs/old.html]\n")
    ).keep_files


def test_base_url_from_the_command_line_replaces_the_setting() -> None:
    assert SiteConfig().with_base_url("https://a.org/x").base_url == "https://a.org/x/"
    assert SiteConfig().with_base_url(None) == SiteConfig()
    with pytest.raises(SiteError) as err:
        SiteConfig().with_base_url("a.org")
    assert str(err.value).startswith("--base-url: error: expected an absolute http(s) URL")


@pytest.mark.parametrize(
    ("url", "error"),
    [
        ("https://u.github.io/papers/?x=1", "has a query (?…)"),
        ("https://u.github.io/papers/#top", "has a fragment (#…)"),
        (
            "https://u.github.io/papers/index.html",
            "names a page: give its folder, https://u.github.io/papers/",
        ),
        ("https://u.github.io:port/", "is not a URL"),
        ("https://example.org//evil.example/x/", "has an empty folder name after its host (//)"),
    ],
)
def test_a_base_url_every_page_path_cannot_follow_is_refused(url: str, error: str) -> None:
    """Every format appends a page's path to base_url: `…/?x=1/feed.xml` was written before."""
    with pytest.raises(SiteError) as err:
        SiteConfig().with_base_url(url)
    assert error in str(err.value)


def test_edit_url_is_a_folder_address_and_the_sites_own_choice_wins(tmp_path: Path) -> None:
    """ "Edit this page" appends a page file's path to edit_url. CI passes the repository it
    builds; a person's edit_url in site.yaml, "" (no links) included, is kept over it."""
    config = load_site_config(write(tmp_path, "site.yaml", "edit_url: https://github.com/me/p/edit/main\n"))
    assert config.edit_url == "https://github.com/me/p/edit/main/"
    assert (
        config.edit_link("content/papers/a b.md")
        == "https://github.com/me/p/edit/main/content/papers/a%20b.md"
    )
    # A `%` in a file's name is a character of the name, not an escape (`x%41.md` is not xA.md).
    assert config.edit_link("content/papers/x%41#1.md").endswith("/content/papers/x%2541%231.md")
    assert config.with_edit_url("https://ci.example/edit/x/", "$ENV") == config
    off = load_site_config(write(tmp_path, "site.yaml", 'edit_url: ""\n'))
    assert off.with_edit_url("https://ci.example/edit/x/", "$ENV").edit_link("content/papers/a.md") == ""
    unset = SiteConfig().with_edit_url("https://ci.example/edit/x", "$ENV")
    assert unset.edit_link("content/pages/about.md") == "https://ci.example/edit/x/content/pages/about.md"
    assert SiteConfig().edit_link("content/papers/a.md") == ""
    assert problems(load_site_config, write(tmp_path, "site.yaml", "edit_url: github.com/me/p\n")) == [
        (
            1,
            "'edit_url': expected an absolute http(s) URL such as https://github.com/user/repo/edit/main/, "
            "got 'github.com/me/p'",
        )
    ]
    with pytest.raises(SiteError) as err:
        SiteConfig().with_edit_url("https://github.com/me/p/edit/main/?x=1", "$SITE_BUILDER_EDIT_URL")
    assert str(err.value).startswith(
        "$SITE_BUILDER_EDIT_URL: error: 'https://github.com/me/p/edit/main/?x=1' has a query"
    )


def test_a_base_url_is_written_in_ascii_as_browsers_send_it() -> None:
    """sitemaps.org asks for escaped URLs; a host is written in IDNA, not percent-encoded."""
    assert SiteConfig().with_base_url("https://bücher.example/päpers").base_url == (
        "https://xn--bcher-kva.example/p%C3%A4pers/"
    )
    assert SiteConfig().with_base_url("https://a.org:8080/x%20y/").base_url == "https://a.org:8080/x%20y/"


def test_settings_are_frozen_plain_data() -> None:
    config = SiteConfig()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.title = "x"  # type: ignore[misc]
    assert hash(config) == hash(SiteConfig())


def test_the_default_taxonomy_loads_as_plain_data() -> None:
    taxonomy = load_taxonomy(ROOT / "site_builder" / "site_template" / "taxonomy.yaml")
    assert len(taxonomy.tags) == 20
    assert all(isinstance(rule, Rule) and isinstance(rule.pattern, str) for rule in taxonomy.rules)
    assert taxonomy.rules == [rule for tag in taxonomy.tags for rule in tag.rules]
    assert taxonomy == load_taxonomy(ROOT / "site_builder" / "site_template" / "taxonomy.yaml")
    assert taxonomy.get("agents") is not None and taxonomy.get("nope") is None
    assert taxonomy.genres == {"survey"}  # a kind of paper, not a subject: related papers skip it


def test_taxonomy_settings_and_rule_defaults(tmp_path: Path) -> None:
    text = (
        "threshold: 2.5\nmax_tags: 2\nfallback: misc\ntags:\n"
        "  - name: misc\n    title: Misc\n    genre: true\n"
        "  - name: kv\n    title: KV\n    description: Caches.\n    threshold: 4\n"
        "    rules:\n      - {pattern: 'kv cache', title: 3}\n"
    )
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yaml", text))
    assert (taxonomy.threshold, taxonomy.max_tags, taxonomy.fallback) == (2.5, 2, "misc")
    kv = taxonomy.get("kv")
    assert kv is not None and kv.threshold == 4.0 and kv.description == "Caches."
    assert kv.rules == (Rule("kv cache", 3.0, 0.0, 3),)
    assert taxonomy.genres == {"misc"} and not kv.genre


def test_an_alias_in_capitals_is_named_with_how_to_write_it(tmp_path: Path) -> None:
    """`aliases: [Agents]` was told "'aliases' must be a list of tag names", which it is."""
    text = (
        "tags:\n  - name: agents\n    aliases: [agent-papers, LLM Agents]\n  - name: kv\n    aliases: [3]\n"
    )
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (
            3,
            "tag 'agents': alias 'LLM Agents': as tag names, use lowercase letters, digits and hyphens ('llm-agents')",
        ),
        (5, "tag 'kv': alias 3 is not a tag name: write earlier names as `aliases: [old-name]`"),
    ]


def test_a_name_with_accents_is_suggested_with_its_letters_kept(tmp_path: Path) -> None:
    """The hint dropped every letter that is not ASCII: `Ünïcode Tag` was told to write
    'n-code-tag', `Straße` 'stra-e'; slugs fold such letters, and so does the hint now."""
    text = "tags:\n  - name: Ünïcode Tag\n  - name: kv\n    aliases: [Straße]\n"
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (2, "tag name 'Ünïcode Tag': use lowercase letters, digits and hyphens ('unicode-tag')"),
        (4, "tag 'kv': alias 'Straße': as tag names, use lowercase letters, digits and hyphens ('strasse')"),
    ]


def test_a_tags_earlier_names_lead_to_it(tmp_path: Path) -> None:
    text = "tags:\n  - name: moe\n    aliases: [mixture, sparse-experts]\n  - name: kv\n"
    taxonomy = load_taxonomy(write(tmp_path, "taxonomy.yaml", text))
    assert taxonomy.renamed == {"mixture": "moe", "sparse-experts": "moe"}
    assert taxonomy.current_tags(("kv", "mixture", "moe")) == ("kv", "moe")
    clashes = (
        "tags:\n  - name: moe\n    aliases: [kv, mix]\n  - name: kv\n    aliases: [mix]\n"
        "  - name: x\n    aliases: [index]\n  - name: y\n    aliases: Not A Name\n"
    )
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", clashes)) == [
        (9, "tag 'y': 'aliases' must be a list of tag names, as `aliases: [old-name]`"),
        (3, "tag 'moe': alias 'kv' is already tag 'kv' (line 4)"),
        (
            5,
            "tag 'kv': alias 'mix' is already an alias of 'moe': an earlier name leads to one tag; "
            "for a tag split in two, keep it under the part most of its papers go to (its page and "
            "feed lead there) and delete it here",
        ),
        (7, "tag 'x': alias 'index' is already the tag index"),
    ]


def test_a_taxonomy_problem_is_said_at_the_line_of_the_key_it_is_about(tmp_path: Path) -> None:
    """A reviewer's weight of `four` was said at the rule's `- pattern:` line, two weights of
    0 were called missing, a tag without `name:` was "tag name None", a threshold of 0 (every
    paper gets the tag) passed, and a misspelt `fallback:` had no "did you mean"."""
    text = (
        "threshold: 0\nfallback: evalution\ntags:\n"
        "  - name: evaluation\n    threshold: -1\n    rules:\n"
        "      - pattern: 'bench'\n"
        "        title: four\n"
        "      - pattern: 'test'\n"
        "        title: 0\n        abstract: 0\n"
        "      - pattern: 'ok'\n        title: 2\n        cap: 0\n"
        "      - pattern: 'fine'\n        title: 2\n        unless: '('\n"
        "      - pattern: 'well'\n        title: 2\n        unless:\n          - 'ok'\n          - '['\n"
        "  - nme: safety\n"
        "  - name: Bad Name\n"
    )
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (8, "rule 'title' weight must be a number, got 'four'"),
        (9, "the rule's 'title' and 'abstract' weights are both 0: it never scores; give one points"),
        (14, "rule 'cap' must be a whole number from 1 to 1000"),
        (17, "bad regular expression '(': missing )"),
        (22, "bad regular expression '[': missing ]"),  # the list's item, not `unless:`
        (
            5,
            "tag 'evaluation': 'threshold' must be a number above 0, not -1 (at 0 or below every paper would get the tag)",
        ),
        (23, "unknown key 'nme'; did you mean 'name'?"),
        (23, "a tag needs a 'name': lowercase letters, digits and hyphens"),
        (24, "tag name 'Bad Name': use lowercase letters, digits and hyphens ('bad-name')"),
        (1, "'threshold': expected a number above 0, not 0 (at 0 or below every paper would get every tag)"),
        (2, "'fallback': no tag named 'evalution'; did you mean 'evaluation'?"),
    ]


def test_every_taxonomy_problem_is_reported_with_its_line(tmp_path: Path) -> None:
    text = (
        "threshold: high\nmax_tag: 3\ntags:\n"
        "  - name: ok\n    rules:\n"
        "      - {pattern: '(', title: 3}\n"
        "      - {pattern: 'x', title: lots}\n"
        "      - {pattern: 'y', title: 1, cap: 0}\n"
        "      - {regex: 'z'}\n"
        "      - {pattern: '', title: 4}\n"
        '      - {pattern: "\\bOpenMP\\b", title: 4}\n'
        "      - {pattern: 'w'}\n"
        "      - pattern: 'v'\n"
        "        abstarct: 1\n"
        "  - name: ok\n"
        "  - name: review\n    genre: yes please\n"
    )
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (2, "unknown key 'max_tag'; did you mean 'max_tags'?"),
        (6, "bad regular expression '(': missing )"),
        (7, "rule 'title' weight must be a number, got 'lots'"),
        (8, "rule 'cap' must be a whole number from 1 to 1000"),
        (9, "unknown key 'regex'; known keys: pattern, title, abstract, cap, unless"),
        (9, "a rule needs a 'pattern' (a regular expression)"),
        (
            10,
            "bad regular expression '': it matches the empty string, so it would match every paper; "
            "give it a word to find",
        ),
        (
            11,
            "bad regular expression '\\x08OpenMP\\x08': it holds the control character '\\x08': in double "
            "quotes YAML reads \\b as a backspace; write patterns in single quotes",
        ),
        (12, "a rule needs a 'title' or 'abstract' weight (points); without one it never scores"),
        (14, "unknown key 'abstarct'; did you mean 'abstract'?"),
        (13, "a rule needs a 'title' or 'abstract' weight (points); without one it never scores"),
        (15, "tag 'ok' listed twice (first at line 4)"),
        (17, "tag 'review': 'genre' must be true or false"),  # at its own line
        (1, "'threshold': expected a number above 0, not 'high'"),
    ]


def test_a_rule_whose_ascii_word_classes_meet_another_alphabet_is_refused(tmp_path: Path) -> None:
    """RE2's \\b and \\w are ASCII: `\\bÜbersetzung\\w*` never tagged a paper, and nothing
    said why (the template calls the patterns Python's, whose are Unicode; a review)."""
    text = (
        "tags:\n  - name: mt\n    rules:\n"
        "      - {pattern: '\\bÜbersetzung\\w*', title: 4}\n"
        "      - {pattern: '\\bобучени\\w* с подкреплением', title: 4}\n"
        "      - {pattern: '\\btranslat\\w*|智能体|перевод', title: 4}\n"
    )
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (
            line,
            f"bad regular expression '{pattern}': \\b and \\w know ASCII letters only here, so beside "
            f"'{letter}' they do not match as Python's would: drop \\b there, and write \\pL for a "
            "letter of any alphabet",
        )
        for line, pattern, letter in [
            (4, "\\bÜbersetzung\\w*", "Ü"),
            (5, "\\bобучени\\w* с подкреплением", "о"),
        ]
    ]


def test_a_taxonomy_needs_tags(tmp_path: Path) -> None:
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", "tags: []\n")) == [
        (1, "expected a mapping with a non-empty 'tags' list")
    ]
    assert problems(load_taxonomy, tmp_path / "missing.yaml") == [
        (0, "no taxonomy; `site-builder init .` writes the default one")
    ]


def test_an_empty_taxonomy_object_has_no_rules() -> None:
    assert Taxonomy(()).rules == []


def test_links_out_are_read_in_order_and_checked(tmp_path: Path) -> None:
    config = load_site_config(write(tmp_path, "site.yaml", "links_out: [google-scholar, arxiv]\n"))
    assert config.links_out == ("google-scholar", "arxiv")
    text = "links_out: [arxiv, arxiv-pfd]\n"
    assert problems(load_site_config, write(tmp_path, "site.yaml", text)) == [
        (1, "'links_out': unknown link 'arxiv-pfd'; did you mean 'arxiv-pdf'?")
    ]
    text = "title: T\nlinks_out: [arxiv, arxiv]\n"
    assert problems(load_site_config, write(tmp_path, "site.yaml", text)) == [
        (2, "'links_out': a link is listed twice in ['arxiv', 'arxiv']")
    ]
    text = "links_out: arxiv\n"
    assert problems(load_site_config, write(tmp_path, "site.yaml", text)) == [
        (1, "'links_out': expected a list of links out such as [arxiv, huggingface], got 'arxiv'")
    ]


def test_a_site_yaml_that_is_not_utf8_is_named_at_its_line(tmp_path: Path) -> None:
    path = tmp_path / "site.yaml"
    path.write_bytes(b"title: T\ndescription: Z\xfcrich papers\n")
    assert problems(load_site_config, path) == [(2, "not UTF-8 text (byte 0xfc); re-save it as UTF-8")]


def test_a_settings_file_with_an_unresolved_merge_says_so(tmp_path: Path) -> None:
    """YAML's own message was "could not find expected ':'", at a line that is git's."""
    text = "title: T\n<<<<<<< HEAD\nper_page: 10\n=======\nper_page: 20\n>>>>>>> other\n"
    assert problems(load_site_config, write(tmp_path, "site.yaml", text)) == [
        (
            2,
            "an unresolved merge conflict (git's '<<<<<<<' line): keep the side you want, delete the "
            "marker lines, then run again",
        )
    ]


def test_an_unclosed_bracket_in_the_taxonomy_is_named_at_its_line(tmp_path: Path) -> None:
    """`aliases: [moe` was reported 30 lines down, in another tag, at a `>` the scan for YAML
    aliases gave up on (the taxonomy's regexes hold `*` and `&`, so it scans)."""
    text = (
        "tags:\n  - name: moe\n    aliases: [moe\n    rules:\n      - {pattern: 'a*b&c', title: 3}\n"
        "  - name: code\n    description: >\n      Code.\n"
    )
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (3, "invalid YAML: did not find expected ',' or ']': the '[' on this line is never closed")
    ]


def test_a_tab_that_indents_a_line_of_the_taxonomy_is_named_at_that_line(tmp_path: Path) -> None:
    """A tab before a tag's `title:` was reported at the line above (`- name: code`, where
    the value it seemed to continue began), which has nothing wrong to see."""
    text = "tags:\n  - name: code\n\ttitle: Code\n    description: Code.\n"
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (3, "invalid YAML: found a tab character that violates indentation; indent with spaces, not tabs")
    ]


def test_a_preview_image_is_a_file_of_the_site_or_an_address(tmp_path: Path) -> None:
    """Shared links unfurled without a picture: no page had og:image (a reviewer)."""
    config = load_site_config(
        write(tmp_path, "site.yaml", "base_url: https://u.github.io/r/\nimage: assets/card.png\n")
    )
    assert config.image_url == "https://u.github.io/r/assets/card.png"
    config = load_site_config(write(tmp_path, "site.yaml", "image: https://cdn.example.org/card.png\n"))
    assert config.image_url == "https://cdn.example.org/card.png"
    assert SiteConfig().image_url == ""
    for bad in ("../card.png", "/card.png", "assets/", "[a.png]", "ftp://x.org/a.png"):
        [(line, message)] = problems(
            load_site_config, write(tmp_path, "site.yaml", f"title: T\nimage: '{bad}'\n")
        )
        assert line == 2 and message.startswith(
            "'image': expected a file of the built site such as assets/card.png"
        )


def test_a_quoted_threshold_is_said_to_be_text_with_the_fix(tmp_path: Path) -> None:
    """`threshold: "3"` is text to YAML: the message said only "a number above 0", which it
    looks like; it now names the value and the quotes."""
    text = (
        'threshold: "3"\ntags:\n  - name: evaluation\n    threshold: "2.5"\n'
        "    rules:\n      - pattern: 'benchmark'\n        title: 4\n"
    )
    assert problems(load_taxonomy, write(tmp_path, "taxonomy.yaml", text)) == [
        (
            4,
            "tag 'evaluation': 'threshold' must be a number above 0, not '2.5', which in quotes is text: "
            "write the number without quotes",
        ),
        (
            1,
            "'threshold': expected a number above 0, not '3', which in quotes is text: write the number without quotes",
        ),
    ]
