"""Text from outside (the URL, an uploaded file, a sign-in claim) shown as text, never as markup.

Streamlit renders the text of st.markdown, st.error, st.caption and friends as Markdown, with its own
directives (`:red[...]`, `:material/...:`) and LaTeX (`$...$`). A value from a URL such as
`[Log opnieuw in](https://evil.example/login)` would become a live link inside the app. `tekst()` escapes
every ASCII punctuation character with a backslash (CommonMark allows that for each of them), so the value
reads exactly as given and nothing in it is interpreted; line breaks become spaces.
"""
import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")


def tekst(value) -> str:
    """The value as literal text inside Markdown."""
    text = " ".join(str(value).split())
    return _PUNCTUATION.sub(r"\\\1", text)
