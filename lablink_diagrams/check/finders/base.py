"""What every finder shares: the error for a symbol outside the ref grammar."""


class BadSymbol(ValueError):
    """The symbol does not follow the ref grammar for its kind."""
