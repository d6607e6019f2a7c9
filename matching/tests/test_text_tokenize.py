from matching.text import has_cjk, stem, tokenize


def test_english_lowercase_stopwords_and_stemming():
    toks = tokenize("The Networks of Learning: learned mappings for graphs")
    assert "the" not in toks and "of" not in toks and "for" not in toks
    assert toks.count("learn") == 2
    assert "network" in toks and "graph" in toks and "mapping" not in toks


def test_stem_maps_inflections_together():
    assert stem("networks") == stem("network")
    assert stem("studies") == stem("study")
    assert stem("mapped") == stem("map")


def test_chinese_is_segmented_into_words():
    toks = tokenize("基于深度学习的蛋白质结构预测")
    assert "深度" in toks and "学习" in toks and "蛋白质" in toks and "预测" in toks
    assert "的" not in toks and "基于" not in toks  # stop words


def test_mixed_text_and_full_width_letters():
    toks = tokenize("Ｄｅｅｐ learning 用于 无线网络资源分配")
    assert toks[:2] == ["deep", "learn"]
    assert "无线网络" in toks and "资源分配" in toks


def test_has_cjk_and_empty_input():
    assert has_cjk("abc 网络") and not has_cjk("abc")
    assert tokenize("") == [] and tokenize(None) == []


def test_jieba_initialisation_is_quiet(capfd):
    tokenize("量子计算中的纠错码")
    captured = capfd.readouterr()
    assert "Building prefix dict" not in captured.err + captured.out
