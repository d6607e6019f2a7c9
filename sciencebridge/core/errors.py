from django.contrib import messages
from django.core.exceptions import ValidationError


def apply_errors(form, exc: ValidationError, request=None) -> None:
    """Put a service's ValidationError on the form: known fields inline, the rest at the top.
    The form keeps what the user typed, so nothing entered is lost."""
    if hasattr(exc, "error_dict"):
        for field, errs in exc.error_dict.items():
            target = field if form is not None and field in form.fields else None
            for e in errs:
                msg = " ".join(e.messages)
                if form is not None:
                    form.add_error(target, msg)
                elif request is not None:
                    messages.error(request, msg)
    else:
        for msg in exc.messages:
            if form is not None:
                form.add_error(None, msg)
            elif request is not None:
                messages.error(request, msg)


def flash_errors(request, exc: ValidationError) -> None:
    apply_errors(None, exc, request)
