"""Downloads: a photo handed out with its credit and rights embedded, and the record of it."""
