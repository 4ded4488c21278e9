"""Errors the domain raises; plain Python so domain code stays free of frameworks. http.py maps them to 4xx."""


class DomainError(Exception):
    status_code = 422

    def __init__(self, field: str | None, rule: str):
        super().__init__(f"{field}: {rule}" if field else rule)
        self.field = field
        self.rule = rule


class RuleViolation(DomainError):
    """Input breaks a rule of the domain (422)."""


class NotFound(DomainError):
    """The thing does not exist, or the caller may not know that it does (404)."""

    status_code = 404


class Conflict(DomainError):
    """The request conflicts with the current state, e.g. a stale version (409)."""

    status_code = 409


class Forbidden(DomainError):
    """The caller's role or locations do not allow this action (403)."""

    status_code = 403
