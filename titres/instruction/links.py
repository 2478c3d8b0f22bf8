"""Links of the back office's e-mails, made when the message is sent (see
`titres.core.notifications.link_maker`)."""

from titres.accounts.services.common import url
from titres.core.notifications import link_maker

from . import enrolment


@link_maker("instruction.otp_enrolment")
def otp_enrolment_link(enrolment_pk: int) -> str | None:
    token = enrolment.make_link_token(enrolment_pk)
    if token is None:
        return None  # replaced or used meanwhile: the mail is not sent
    return url("instruction:otp_enrol_link", token)
