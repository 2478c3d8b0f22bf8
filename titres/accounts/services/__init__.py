"""Every write on accounts: one function each, atomic, with its audit event,
in one module per concern (terms, signup, login, recovery, account,
suspension, habilitations, mairies, admin_journal; common holds the shared
helpers). Callers import the module they need: this package re-exports
nothing.

E-mails are queued with `notify_email`, which only sends after commit."""
