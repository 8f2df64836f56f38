"""The site's main navigation, built from what the user may do."""

from archive.auth.access import Action, Viewer, can

# (label, endpoint, the action it needs; None: everyone), in the order shown.
MAIN_LINKS: tuple[tuple[str, str, Action | None], ...] = (
    ("Search", "search.search_page", None),
    ("Exhibitions", "exhibitions.index", None),
    ("Upload", "upload.photos", Action.UPLOAD),
    ("My uploads", "photos.my_uploads", Action.UPLOAD),
    ("Review", "photos.queue", Action.REVIEW),
    ("People", "people.index", Action.MANAGE_PEOPLE),
    ("Events", "events.index", Action.MANAGE_EVENTS),
    ("Curate", "curate.exhibitions", Action.CURATE_EXHIBITIONS),
    ("Consent", "consent.overview", Action.RECORD_CONSENT),
    ("Representation", "reports.representation_page", Action.SEE_REPORTS),
    ("Basket", "downloads.basket", Action.DOWNLOAD),
    ("My downloads", "downloads.history", Action.DOWNLOAD),
    ("Users", "auth.users", Action.MANAGE_USERS),
    ("Licences", "licences.manage", Action.MANAGE_LICENCES),
    ("Audit log", "auth.audit", Action.SEE_AUDIT),
    ("Mail log", "auth.mail_log", Action.SEE_MAIL_LOG),
    ("Password", "auth.password", Action.CHANGE_PASSWORD),
    ("E-mail choices", "auth.mail_choices", Action.CHOOSE_MAIL),
)


def navigation(user: Viewer) -> list[tuple[str, str]]:
    """Return the (label, endpoint) links of the main navigation the user may follow, in order.

    A visitor's end with the login page; a signed-in user's page adds the log-out button.
    """
    links = [
        (label, endpoint)
        for label, endpoint, action in MAIN_LINKS
        if action is None or can(user, action)
    ]
    if user is None or not user.is_authenticated:
        links.append(("Log in", "auth.login"))
    return links
