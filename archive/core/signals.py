"""Domain signals: a feature announces what it did; whoever depends on it subscribes.

Search, the page cache and exhibitions sit above the features that change data, so a
feature never imports them to tell them something: it sends one of these signals and
they connect a receiver (in their init_app). Blinker calls receivers synchronously, in
the sender's thread and in the order connected, before send() returns: a signal sent
inside a write transaction is handled inside it (what a receiver writes commits or rolls
back with the change), and one sent after the commit, as these note, sees it committed.
An error in a receiver reaches the sender, as a direct call's would.

What every write does anyway is not announced here: the search queue and the page cache
follow SQLAlchemy's flush events (archive/search/queue.py, archive/page_cache.py), so no
feature can forget to tell them of a changed row.
"""

from blinker import Namespace

_signals = Namespace()

# Sent by write_transaction after each commit, with the session as sender: e.g. for search
# to apply the index changes the transaction queued.
write_committed = _signals.signal("write-committed")

# Sent, with the session as sender, before and after a run of many write transactions
# (bulk import), so that receivers may batch what they do after each of them.
many_writes_began = _signals.signal("many-writes-began")
many_writes_ended = _signals.signal("many-writes-ended")

# Sent after a person's erasure committed, with the person's id as sender. Each receiver
# returns whether it forgot every word of theirs (False: some stay until later, e.g. until
# a busy search index is rebuilt); the admin who erased is told.
person_erased = _signals.signal("person-erased")

# Sent inside a consent's withdrawal transaction, with the withdrawn ConsentForm as sender
# and `on`, the day it takes effect. Each receiver returns a sentence saying what the
# withdrawal takes away (or "" for nothing), which the withdrawal's audit event records.
consent_withdrawn = _signals.signal("consent-withdrawn")

# Sent after an edit of a licence committed, with the Licence as sender: e.g. for photos to
# write the new credit and terms into the images of every photo under it.
licence_changed = _signals.signal("licence-changed")

# Sent once a day by `flask notify` (cron or a systemd timer), inside one write transaction,
# with the day (a date) as sender. Each receiver queues the mail that day calls for —
# reminders, renewals, digests — with a once_key naming the day, so a second run that day
# queues nothing again, and returns how many messages it queued.
daily_notices = _signals.signal("daily-notices")
