"""Destructive actions ask first, without JavaScript: a POST lacking `confirm` gets the question.

The action's own button posts as before; its view answers a POST without `confirm=yes` with
a page saying what will happen, whose form posts the same fields again to the same URL with
the confirmation (and whose Cancel link goes back). Nothing is changed until then.
"""

from flask import render_template, request


def confirmed() -> bool:
    """Return whether this POST carries the confirmation the confirmation page sends."""
    return request.form.get("confirm") == "yes"


def confirmation_page(
    *, question: str, consequences: list[str], confirm_label: str, cancel_url: str
) -> str:
    """Render the page asking to confirm this POST, carrying its fields (bar the token) again."""
    # Pairs, not a dict: a field sent more than once (ticked photos) keeps every value.
    carried = [
        (name, value)
        for name, value in request.form.items(multi=True)
        if name not in ("csrf_token", "confirm")
    ]
    return render_template(
        "confirm.html",
        question=question,
        consequences=consequences,
        confirm_label=confirm_label,
        cancel_url=cancel_url,
        carried=carried,
    )
