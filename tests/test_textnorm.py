from indexer.textnorm import clean, join_hyphenation, one_line, strip_html


def test_line_break_hyphenation_is_joined_for_analysis() -> None:
    assert join_hyphenation("arkiston digi- tointihankkeen") == "arkiston digitointihankkeen"
    assert join_hyphenation("hankintasopi- musten hallinta") == "hankintasopimusten hallinta"


def test_coordination_hyphen_is_kept() -> None:
    text = "Kasvatus- ja opetuslautakunta, sosiaali- tai terveys, el- och värme"
    assert join_hyphenation(text) == text
    assert join_hyphenation("Kemi- Tornio") == "Kemi- Tornio"  # next word capitalised


def test_invisible_characters_are_removed() -> None:
    assert clean("13,\u200b29 milj. 1.1.-\u200b30.6.2025") == "13,29 milj. 1.1.-30.6.2025"
    assert clean("digi\u00adtointi") == "digitointi"
    assert one_line("  a\t b \n c ") == "a b c"


def test_strip_html_cells() -> None:
    cell = '<p>Osaaminen</p> <ul style="x"><li>yksi</li><li>kaksi &amp; kolme</li></ul>'
    assert strip_html(cell) == "Osaaminen\nyksi\nkaksi & kolme"
    assert strip_html("<b>-15712500,00</b>") == "-15712500,00"
