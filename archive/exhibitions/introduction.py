"""An exhibition's introduction: Markdown in, sanitised HTML out, once, when it is saved.

Pages and exports show the stored HTML, so no request ever formats Markdown. The formatting
and its limits are core.markdown's, shared with career profiles.
"""

from archive.core.markdown import MarkdownRefused, check_markdown, render_markdown


class IntroductionRefused(ValueError):
    """The introduction cannot be saved as written; the message says why and what the limit is."""


def check_introduction(markdown: str, max_chars: int) -> None:
    """Raise IntroductionRefused, saying why, if the introduction is too long or too deep."""
    try:
        check_markdown(markdown, max_chars, "the introduction")
    except MarkdownRefused as refused:
        raise IntroductionRefused(str(refused)) from None


def render_introduction(markdown: str) -> str:
    """Return the introduction as sanitised HTML (core.markdown.render_markdown)."""
    return render_markdown(markdown)
