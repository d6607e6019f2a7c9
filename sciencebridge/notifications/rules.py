"""A notification is its recipient's alone."""

import rules


@rules.predicate
def is_recipient(user, notification):
    return bool(
        user
        and user.is_authenticated
        and notification is not None
        and notification.recipient_id == user.pk
    )


rules.add_perm("notifications.view_notification", is_recipient)
rules.add_perm("notifications.change_notification", is_recipient)
