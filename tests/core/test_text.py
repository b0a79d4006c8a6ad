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


def test_greek_digraphs_follow_elot_743() -> None:
    assert transliterate("Παπαδοπούλου") == "Papadopoulou"
    assert transliterate("ΠΑΠΑΔΟΠΟΥΛΟΥ") == "PAPADOPOULOU"
    assert transliterate("Ευάγγελος") == "Evangelos"
    assert transliterate("Ευστάθιος") == "Efstathios"
    assert transliterate("Ζευς") == "Zefs"
    assert transliterate("Καϋμένος") == "Kaymenos"  # the diaeresis splits the digraph


def test_phone_numbers_are_grouped_for_reading() -> None:
    from homeward.core.templatetags.homeward import phone

    assert phone("+306912345678") == "+30 691 234 5678"
    assert phone("") == ""
    assert phone("not a number") == "not a number"
