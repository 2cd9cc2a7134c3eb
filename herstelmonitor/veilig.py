"""Text from outside (the URL, an uploaded file, a sign-in claim) shown as text, never as markup.

Streamlit renders the text of st.markdown, st.error, st.caption and friends as Markdown, with its own
directives (`:red[...]`, `:material/...:`) and LaTeX (`$...$`). A value from a URL such as
`[Log opnieuw in](https://evil.example/login)` would become a live link inside the app. `tekst()` escapes
every ASCII punctuation character with a backslash (CommonMark allows that for each of them), so the value
reads exactly as given and nothing in it is interpreted; line breaks become spaces.

Escapes are not enough for GitHub-style autolinks: the renderer finds a bare `https://...`, `www.` or
`name@host` in the text after escapes are resolved and links it. An invisible word joiner (U+2060) inside
each of those marks keeps them from matching while the text reads and wraps the same.
"""
import re

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
WOORDVERBINDER = "\u2060"
_AUTOLINK = re.compile(r"(?i)(:)(//)|(www)(\.)|(\S)(@)")


def tekst(value) -> str:
    """The value as literal text inside Markdown."""
    text = " ".join(str(value).split())
    text = _AUTOLINK.sub(lambda m: WOORDVERBINDER.join(g for g in m.groups() if g), text)
    return _PUNCTUATION.sub(r"\\\1", text)
