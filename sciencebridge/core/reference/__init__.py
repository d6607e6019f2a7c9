"""Reference data as plain Python data, loaded by ``manage.py seed_reference``.

Facts come from /work/shared/domain.md (tags [C] confirmed, [P] partly confirmed, [U] unconfirmed).
[U] facts are never encoded as rules here: they are left as per-call configuration (null ceilings,
weights of 1) or flagged in the ``source_note`` / ``version`` text that the admin can edit.

Every display name is given in English (``en``), Traditional Chinese (``zh_hant``) and
Simplified Chinese (``zh_hans``), matching the django-modeltranslation columns.
"""
