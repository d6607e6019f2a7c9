"""Queries over the bigrams of Chinese text (core.cjk_bigrams): a row holding a term holds every
bigram of one of its spellings."""

from sciencebridge.core.cjk_bigrams import bigrams, term_query, terms_query


def test_bigrams_of_each_run_of_chinese_characters():
    assert bigrams("石墨烯薄膜") == ["石墨", "墨烯", "烯薄", "薄膜"]
    assert bigrams("電池 and 電池組") == ["電池", "池組"]  # distinct, runs apart
    assert bigrams("藥 battery") == [] and bigrams("") == []


def test_a_term_matches_either_script_and_a_single_character_cannot_narrow():
    assert term_query("石墨烯") == "('石墨' & '墨烯')"
    assert term_query("電池") == "('電池') | ('电池')"
    assert term_query("藥") is None and term_query("battery") is None
    assert terms_query(["電池", "battery", "藥"]) == "(('電池') | ('电池'))"
    assert terms_query(["battery"]) is None


def test_every_substring_of_two_or_more_characters_is_covered():
    text = "以列車振動數據預測鐵路路軌維修"
    pieces = set(bigrams(text))
    for i in range(len(text)):
        for j in range(i + 2, len(text) + 1):
            assert set(bigrams(text[i:j])) <= pieces
