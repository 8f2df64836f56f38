"""Markdown written by staff (or by a person about themselves) as sanitised HTML for any page.

Formatting is done by cmark-gfm, GitHub's C implementation of CommonMark, whose time grows in
step with the text: the longest text allowed takes milliseconds however it is written.
Python-Markdown, used before, took time growing with the square of some texts (8,000 "["
took 15 s; 10,000 lines of "-", or 6,600 unclosed "<a ", 8 s), a cost its maintainers
leave as it is (Python-Markdown/markdown#798). Exhibition introductions and career profiles
both go through here.
"""

import re

import cmarkgfm
import nh3
from cmarkgfm.cmark import Options


class MarkdownRefused(ValueError):
    """The text cannot be saved as written; the message says why and what the limit is."""


# Raw HTML passes through cmark untouched ("unsafe" to cmark), and GitHub's "tagfilter"
# (which shows <style> or <iframe> as text) is left out: the sanitiser, nh3, decides what
# HTML stays, and removes a <style> or <script> with its content. Footnotes, tables and
# fenced code keep what Python-Markdown's "extra" offered.
_OPTIONS = Options.CMARK_OPT_UNSAFE | Options.CMARK_OPT_FOOTNOTES
_EXTENSIONS = ("table", "strikethrough", "autolink")

# nh3's parser slows with the square of the nesting depth: one character of Markdown, ">",
# opens a quotation, so 20,000 of them made 20,000 nested blockquotes and took nh3 3 s.
# A real introduction nests a few levels; raw HTML costs at least four characters a level.
MAX_NESTING = 100
# Only the start of each tag is read, so a "<" never closed costs nothing more. "<div/>" opens
# a div in HTML, as the parser nh3 uses reads it.
_TAG_START = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)")
# Elements with no end tag, and those a parser ends by itself at the next sibling
# ("<li>a<li>b"): they never pile up, so they are not counted, and neither are their end tags.
_NOT_NESTING = frozenset(
    {"area", "br", "col", "embed", "hr", "img", "input", "source", "wbr"}
    | {"dd", "dt", "li", "option", "p", "td", "th", "tr"}
)


def check_markdown(markdown: str, max_chars: int, what: str) -> None:
    """Raise MarkdownRefused, naming the text as `what`, if it is too long or nests too deep."""
    if len(markdown) > max_chars:
        raise MarkdownRefused(
            f"{what} is {len(markdown):,} characters long; it can be at most {max_chars:,}"
        )
    if _deepest_nesting(_commonmark(markdown)) > MAX_NESTING:
        raise MarkdownRefused(
            f"{what} nests quotations, lists or HTML more than {MAX_NESTING} "
            "levels deep; a '>' or '-' at the start of a line opens a level"
        )


def render_markdown(markdown: str) -> str:
    """Return the Markdown as sanitised HTML, in milliseconds if check_markdown passed it.

    No script, style, frame or stylesheet survives; links to other sites stay; an image
    whose address is not on this site loses its src and shows its alt text.
    """
    return nh3.clean(
        _commonmark(markdown),
        link_rel="noopener noreferrer nofollow",
        attribute_filter=_own_images_only,
    )


def _commonmark(markdown: str) -> str:
    """Return the Markdown as HTML, raw HTML in it untouched."""
    return cmarkgfm.markdown_to_html_with_extensions(
        markdown, options=_OPTIONS, extensions=_EXTENSIONS
    )


def _deepest_nesting(html: str) -> int:
    """Return how deeply the tags of cmark's output nest (a stray end tag counts as closing)."""
    depth = deepest = 0
    for closing, name in _TAG_START.findall(html):
        if name.lower() in _NOT_NESTING:
            continue
        if closing:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            deepest = max(deepest, depth)
    return deepest


# nh3 lets <img src="https://…"> through (it checks only the scheme), and a visitor's browser
# fetches it unasked: a tracker pixel on a public page tells a third party who looked, and a
# kiosk export runs offline. The archive serves its own images, so the one rule for every
# page and export is that an <img> keeps only a path on this site. Browsers read "//host",
# "/\host" and "/<tab>/host" as another host, hence no backslash, whitespace or control
# character and no second slash up front. (nh3 allows no srcset, <link>, <iframe> or style.)
_SITE_PATH = re.compile(r"/(?![/\\])[^\\\s\x00-\x1f]*")


def _own_images_only(tag: str, attribute: str, value: str) -> str | None:
    """Drop an <img>'s src unless it is a path on this site (an nh3 attribute_filter)."""
    if tag == "img" and attribute == "src" and not _SITE_PATH.fullmatch(value):
        return None
    return value
