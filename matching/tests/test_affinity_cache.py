import numpy as np

from matching.affinity import EmbeddingCache, content_key


def test_content_key_depends_on_model_and_text():
    assert content_key("m", "a") == content_key("m", "a")
    assert content_key("m", "a") != content_key("m2", "a")
    assert content_key("m", "a") != content_key("m", "b")


def test_only_misses_are_encoded_and_counts(tmp_path):
    calls = []

    def enc(texts):
        calls.append(list(texts))
        return np.array([[len(t), 1.0] for t in texts], dtype=np.float32)

    with EmbeddingCache(tmp_path / "c.sqlite") as c:
        v = c.encode("m", ["aa", "b"], enc)
        np.testing.assert_array_equal(v, [[2, 1], [1, 1]])
        v = c.encode("m", ["b", "ccc", "aa"], enc)
        np.testing.assert_array_equal(v[:, 0], [1, 3, 2])
        assert calls == [["aa", "b"], ["ccc"]]
        assert c.stats == {"hits": 2, "misses": 3}
        c.encode("other-model", ["b"], enc)  # another model's vectors are separate
        assert calls[-1] == ["b"] and len(c) == 4
