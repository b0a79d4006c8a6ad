from homeward.core.text import search_key, transliterate


def test_search_key_folds_accents_case_and_punctuation() -> None:
    assert search_key("Zoé", "Núñez") == "zoe nunez"
    assert search_key("O'Brien-Smith") == "o brien smith"
    assert search_key("  Ali   KHAN ") == "ali khan"


def test_search_key_transliterates_other_scripts() -> None:
    assert search_key("Μαρία") == "maria"
    assert search_key("Мухаммад") == "mukhammad"
    assert search_key("გიორგი") == "giorgi"


def test_transliterate_keeps_case_for_display() -> None:
    assert transliterate("Μαρία") == "Maria"
