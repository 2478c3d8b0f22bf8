class RegisterError(Exception):
    """A refusal with the message to show (French, translatable) and a code
    the coordination API returns. `appointments` lists the appointments
    already held when the refusal is that one."""

    def __init__(self, message, *, code: str, number: str = "", appointments=()):
        super().__init__(message)
        self.message = message
        self.code = code
        self.number = number
        self.appointments = list(appointments)
