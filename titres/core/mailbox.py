"""Development mailbox: an e-mail backend that keeps every message in the
database so it can be read at /dev/mailbox/ without an SMTP server."""

from django.core.mail.backends.base import BaseEmailBackend


class MailboxBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        from .models import MailboxMessage

        sent = 0
        for message in email_messages:
            html = ""
            for content, mimetype in getattr(message, "alternatives", []) or []:
                if mimetype == "text/html":
                    html = content
            MailboxMessage.objects.create(
                subject=str(message.subject),
                from_email=str(message.from_email),
                to=list(message.recipients()),
                body=str(message.body),
                html_body=html,
                raw=message.message().as_string(),
            )
            sent += 1
        return sent


class UnconfiguredBackend(BaseEmailBackend):
    """Used when no SMTP server is configured outside development: refuses
    to send and logs only who would have received what subject."""

    def send_messages(self, email_messages):
        import logging

        logger = logging.getLogger("titres.mail")
        for message in email_messages:
            logger.error(
                "Courriel non envoyé (EMAIL_URL non configuré) : « %s » à %d destinataire(s)",
                message.subject,
                len(message.recipients()),
            )
        return 0
