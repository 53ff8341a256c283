"""Outgoing e-mail for every domain of the platform.

    from regionet.platform.mail import send_mail

    send_mail(user.email, "referrals/received", context={"referral": referral},
              institution=institution, user_id=user.id, locale=user.preferred_locale or "pl")
    db.session.commit()   # the message leaves only once the caller's transaction commits

`send_mail` renders `templates/mail/<template>.txt` (extending `mail/layout.txt`, blocks
`subject` and `body`) in Polish by default, stores the message in `outgoing_mail` and, after
the commit, queues its delivery on the `mail` queue. A worker sends it over SMTP
(Flask-Mailman), retrying temporary failures; see services.send_mail for the details.
"""
from .models import MailStatus, OutgoingMail
from .services import render_message, send_mail

__all__ = ["MailStatus", "OutgoingMail", "render_message", "send_mail"]
