"""Traditional ⇄ Simplified conversion of user-entered text, and its display."""

from types import SimpleNamespace

from django.template import Context, Template
from django.utils import translation

from sciencebridge.core.content_languages import (
    confirm_conversions,
    fill_chinese_conversions,
    localized_text,
)

SIMPLIFIED = "软件开发与信息安全"
TRADITIONAL_HK = "軟件開發與信息安全"  # s2hk: 软件 → 軟件 (not the Taiwan 軟體)


def _text(**values):
    row = {f"summary_{lang}": "" for lang in ("en", "zh_hant", "zh_hans")}
    row.update(values)
    return SimpleNamespace(converted_fields={}, **row)


def test_simplified_only_is_converted_to_hong_kong_traditional_and_marked():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    assert fill_chinese_conversions(obj, ["summary"]) == ["summary_zh_hant"]
    assert obj.summary_zh_hant == TRADITIONAL_HK
    assert obj.summary_zh_hans == SIMPLIFIED


def test_traditional_only_is_converted_to_simplified_and_marked():
    obj = _text(summary_zh_hant="電池回收技術")
    fill_chinese_conversions(obj, ["summary"])
    assert obj.summary_zh_hans == "电池回收技术"
    assert list(obj.converted_fields) == ["summary_zh_hans"]


def test_both_scripts_written_by_a_person_are_left_alone():
    obj = _text(summary_zh_hant="甲", summary_zh_hans="乙")
    assert fill_chinese_conversions(obj, ["summary"]) == []
    assert (obj.summary_zh_hant, obj.summary_zh_hans) == ("甲", "乙")


def test_english_only_is_not_converted():
    obj = _text(summary_en="Battery recycling")
    assert fill_chinese_conversions(obj, ["summary"]) == []
    assert obj.summary_zh_hant == obj.summary_zh_hans == ""


def test_an_unconfirmed_conversion_follows_its_source():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"])
    obj.summary_zh_hans = "电池回收"  # the form sends the old conversion back unchanged
    fill_chinese_conversions(obj, ["summary"])
    assert obj.summary_zh_hant == "電池回收"
    assert "summary_zh_hant" in obj.converted_fields


def test_a_conversion_the_person_rewrote_is_theirs_and_not_overwritten():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"])
    obj.summary_zh_hant = "軟體開發與資訊安全"  # Taiwan wording, chosen by the person
    fill_chinese_conversions(obj, ["summary"])
    assert obj.converted_fields == {}
    obj.summary_zh_hans = "电池回收"
    fill_chinese_conversions(obj, ["summary"])
    assert obj.summary_zh_hant == "軟體開發與資訊安全"
    assert obj.converted_fields == {}


def test_a_confirmed_conversion_is_unmarked_and_not_overwritten():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"])
    fill_chinese_conversions(obj, ["summary"], confirm=True)
    assert obj.converted_fields == {}
    assert obj.summary_zh_hant == TRADITIONAL_HK
    obj.summary_zh_hans = "电池回收"
    fill_chinese_conversions(obj, ["summary"])
    assert obj.summary_zh_hant == TRADITIONAL_HK


def test_confirm_conversions_helper_unmarks():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"])
    confirm_conversions(obj, ["summary"])
    assert obj.converted_fields == {}


def test_emptying_the_source_removes_its_unchecked_conversion():
    obj = _text(summary_zh_hans=SIMPLIFIED, summary_en="Software")
    fill_chinese_conversions(obj, ["summary"])
    obj.summary_zh_hans = ""
    fill_chinese_conversions(obj, ["summary"])
    assert obj.summary_zh_hant == ""
    assert obj.converted_fields == {}


def test_writing_in_the_other_script_reverses_the_direction():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"])
    obj.summary_zh_hans = ""
    obj.summary_zh_hant = "電池回收"  # the person now writes Traditional only
    fill_chinese_conversions(obj, ["summary"])
    assert obj.summary_zh_hans == "电池回收"
    assert list(obj.converted_fields) == ["summary_zh_hans"]


def _render(obj, lang):
    with translation.override(lang):
        return Template('{% load content_lang %}{% localized obj "summary" %}').render(
            Context({"obj": obj})
        )


def test_tag_marks_a_converted_text_in_the_active_language():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"])
    html = _render(obj, "zh-hant")
    assert TRADITIONAL_HK in html
    assert 'class="muted content-converted"' in html
    assert "自動" in html  # the marker is translated
    assert "content-converted" not in _render(obj, "zh-hans")  # the person's own text


def test_tag_falls_back_visibly_to_the_original_language_and_escapes():
    obj = _text(summary_en="<b>Battery</b> recycling")
    html = _render(obj, "zh-hans")
    assert (
        '<span lang="en" class="content-fallback">&lt;b&gt;Battery&lt;/b&gt; recycling</span>'
        in html
    )
    assert "英文原文" in html
    assert 'lang="en"' not in _render(obj, "en")


def test_localized_text_prefers_the_active_language():
    obj = _text(summary_en="Hello", summary_zh_hant="你好")
    with translation.override("zh-hant"):
        assert localized_text(obj, "summary") == ("你好", "zh_hant", False)
    with translation.override("en"):
        assert localized_text(obj, "summary")[0] == "Hello"


def test_a_chinese_text_copied_into_the_english_column_is_shown_as_chinese():
    obj = _text(summary_en=SIMPLIFIED, summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"])
    with translation.override("en"):
        # The person's own Simplified text, not the conversion made from it.
        assert localized_text(obj, "summary") == (SIMPLIFIED, "zh_hans", False)
    html = _render(obj, "en")
    assert f'<span lang="zh-Hans" class="content-fallback">{SIMPLIFIED}</span>' in html
    assert "(Simplified Chinese original)" in html


def test_existing_text_goes_to_its_language_column():
    from sciencebridge.core.content_languages import guess_language, spread_existing_text

    assert guess_language("Battery") == "en"
    assert guess_language("电池回收") == "zh_hans"
    assert guess_language("電池回收") == "zh_hant"
    row = _text()
    row.summary = "电池回收"
    spread_existing_text(row, ["summary"])
    assert (row.summary_zh_hans, row.summary_zh_hant) == ("电池回收", "電池回收")
    assert list(row.converted_fields) == ["summary_zh_hant"]


def test_confirm_does_not_cover_a_conversion_nobody_has_seen_yet():
    obj = _text(summary_zh_hans=SIMPLIFIED)
    fill_chinese_conversions(obj, ["summary"], confirm=True)
    assert list(obj.converted_fields) == ["summary_zh_hant"]
