"""Grammar for the synthetic corpus: French articles that contract, Korean particles that follow
the final consonant of the word they attach to."""


def _final_consonant(word: str) -> int | None:
    """The final consonant index of the last Hangul syllable (0 = none), None if not Hangul."""
    for char in reversed(word):
        if "가" <= char <= "힣":
            return (ord(char) - 0xAC00) % 28
        if char.isalnum():
            return None
    return None


def ko(word: str, particle: str) -> str:
    """Attach a Korean particle, choosing the form by the word's final consonant."""
    final = _final_consonant(word)
    has_final = bool(final)
    pairs = {"은": ("은", "는"), "이": ("이", "가"), "을": ("을", "를"), "과": ("과", "와")}
    if particle in pairs:
        return word + pairs[particle][0 if has_final else 1]
    if particle == "으로":
        # ㄹ (final index 8) takes 로 like a word without a final consonant.
        return word + ("으로" if has_final and final != 8 else "로")
    return word + particle


def de(phrase: str) -> str:
    """French `de` + article, contracted (du, des, de la, de l’)."""
    if phrase.startswith("le "):
        return "du " + phrase[3:]
    if phrase.startswith("les "):
        return "des " + phrase[4:]
    return "de " + phrase


def a(phrase: str) -> str:
    """French `à` + article, contracted (au, aux, à la, à l’)."""
    if phrase.startswith("le "):
        return "au " + phrase[3:]
    if phrase.startswith("les "):
        return "aux " + phrase[4:]
    return "à " + phrase


def cap(text: str) -> str:
    """First letter upper-cased, the rest untouched."""
    return text[:1].upper() + text[1:]


def bare(phrase: str) -> str:
    """A French country name without its article (le Canada -> Canada)."""
    for article in ("les ", "le ", "la ", "l’"):
        if phrase.startswith(article):
            return phrase[len(article) :]
    return phrase


# Each template: slots in `s` are (en, fr, ko) tuples: A, B (countries), t, u (topics), act (actors).


def pair_en(first, second) -> str:
    """Canada–Korea, from two COUNTRIES entries."""
    return f"{first[1].removeprefix('the ')}–{second[1].removeprefix('the ')}"


def pair_fr(first, second) -> str:
    """Canada–Corée, from two COUNTRIES entries."""
    return f"{bare(first[2])}–{bare(second[2])}"
