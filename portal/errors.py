"""Domain errors raised by services; views turn them into form errors or error pages."""


class DomainError(Exception):
    """A rule of the portal said no; the message is shown to the user as is."""

    status_code = 400

    def __init__(self, message: str, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field  # the form field the message belongs to, if any


class ValidationFailed(DomainError):
    pass


class Conflict(DomainError):
    status_code = 409


class DuplicateSubmission(Conflict):
    """The same form came twice (a double click): the first one's result stands."""

    def __init__(self, message: str, *, original_id: int):
        super().__init__(message)
        self.original_id = original_id  # what the first submission created


class PermissionDenied(DomainError):
    status_code = 403


class NotFound(DomainError):
    status_code = 404


class AccountSuspended(DomainError):
    status_code = 403


class TooManyAttempts(DomainError):
    status_code = 429

    def __init__(self, message: str, field: str | None = None, retry_after: int | None = None):
        super().__init__(message, field)
        self.retry_after = retry_after  # seconds, for the Retry-After header
