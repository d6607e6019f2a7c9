from .models import Notification


def for_user(user):
    """The notifications a user may see: their own."""
    if not (user and user.is_authenticated):
        return Notification.objects.none()
    return Notification.objects.filter(recipient=user)


def unread(user):
    """The user's notifications not read yet."""
    return for_user(user).filter(read_at__isnull=True)


def unread_count(user) -> int:
    return unread(user).count()
