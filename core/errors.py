"""The one error a service raises when a business rule says no."""


class ApplicationError(Exception):
    """A rule refused the change; the message is meant for the person."""

    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
