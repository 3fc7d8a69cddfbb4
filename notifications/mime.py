"""The outbox's emails as bytes, composed directly: a multipart/alternative message of a UTF-8
text part and a UTF-8 HTML part, the same message Django's EmailMultiAlternatives builds.

Why not Python's `email` package: turning a message into bytes through it (Django's message() and
`email.generator`) was a quarter of each send's time, 20 header encodings and a boundary regex
compiled per message (README, Performance). The parts here are the rules of RFC 5322 and RFC 2045–
2047 that those messages need; the rare cases (a non-ASCII or over-long header, an address that
is not plain ASCII, a line over 998 bytes) still go through the `email` package and Django.

`PreparedEmail` is an EmailMultiAlternatives (what the locmem backend and the tests read: subject,
body, alternatives, extra_headers) whose message() is composed here; anything it does not cover
(attachments, cc, a second alternative) is built by Django as before. `email_send` hands its bytes
to an open SMTP connection.
"""

import email
import functools
import re
import uuid
from email import quoprimime
from email.header import Header
from email.message import Message
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.smtp import EmailBackend as SMTPEmailBackend
from django.core.mail.message import RFC5322_EMAIL_LINE_LENGTH_LIMIT, BadHeaderError, sanitize_address
from django.core.mail.utils import DNS_NAME

CRLF = "\r\n"
HEADER_LINE_LENGTH = 78  # RFC 5322's "SHOULD": longer header values are folded
# An address that is its own sanitised form: ASCII dot-atoms (RFC 5322 3.4.1), no display name.
ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
PLAIN_ADDRESS = re.compile(rf"{ATOM}(\.{ATOM})*@[A-Za-z0-9.-]+")
# Written from the message's own fields (from_email, to), not from `headers`.
ADDRESS_FIELDS = {"from", "to"}


def header_line(name: str, value: str) -> str:
    """One header field, `Name: value`, folded past 78 characters and RFC 2047-encoded when it is
    not ASCII, as Django's message() writes it. A line break in a value is refused (header
    injection), as Django refuses it."""
    value = str(value)
    if "\n" in value or "\r" in value:
        raise BadHeaderError(f"Header values can't contain newlines (got {value!r} for header {name!r})")
    if value.isascii():
        length = len(name) + 2 + len(value)
        # A value without spaces (a link) cannot be folded: one line, as long as SMTP allows one.
        if length <= HEADER_LINE_LENGTH or (" " not in value and length <= RFC5322_EMAIL_LINE_LENGTH_LIMIT):
            return f"{name}: {value}"
        return f"{name}: {Header(value, header_name=name).encode(linesep=CRLF)}"
    return f"{name}: {Header(value, 'utf-8', header_name=name).encode(linesep=CRLF)}"


def address_header_value(address: str) -> str:
    """An address as a header (and the SMTP envelope) carries it: Django's sanitize_address, which
    encodes a non-ASCII name and turns a non-ASCII domain into punycode, skipped for a plain ASCII
    address, which it leaves as it is."""
    if PLAIN_ADDRESS.fullmatch(address):
        return address
    return _sanitized(address)


@functools.lru_cache(maxsize=64)  # the sender: one address for every message
def _sanitized(address: str) -> str:
    return sanitize_address(address, "utf-8")


def mime_part(content_type: str, text: str) -> str:
    """A text part, UTF-8: 8bit, with CRLF line ends, or quoted-printable when a line is longer
    than SMTP allows (998 bytes), as Django encodes them."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    longest = max(map(len, text.encode().split(b"\n")))  # in bytes
    if longest > RFC5322_EMAIL_LINE_LENGTH_LIMIT:
        # quoprimime encodes characters, not bytes: the UTF-8 bytes as latin-1, as email.charset does.
        encoding, body = "quoted-printable", quoprimime.body_encode(text.encode().decode("latin-1"), eol=CRLF)
    else:
        encoding, body = "8bit", text.replace("\n", CRLF)
    return (
        f'Content-Type: {content_type}; charset="utf-8"{CRLF}'
        f"Content-Transfer-Encoding: {encoding}{CRLF}{CRLF}{body}"
    )


def mime_alternative_compose(
    *, subject: str, from_email: str, to: list[str], text: str, html: str, headers: dict[str, str]
) -> bytes:
    """A multipart/alternative message: `text` as text/plain, `html` as text/html (both UTF-8),
    with Subject, From, To, Date and Message-ID (unless `headers` has them), then `headers`.
    CRLF line ends, ready for SMTP."""
    parts = [mime_part("text/plain", text), mime_part("text/html", html)]
    boundary = f"=_{uuid.uuid4().hex}"
    while any(boundary in part for part in parts):  # as good as never: it must not be in the content
        boundary = f"=_{uuid.uuid4().hex}"
    given = {name.lower() for name in headers}
    lines = [
        f'Content-Type: multipart/alternative; boundary="{boundary}"',
        "MIME-Version: 1.0",
        header_line("Subject", subject),
        header_line("From", address_header_value(headers.get("From", from_email))),
        header_line("To", ", ".join(address_header_value(address) for address in to)),
    ]
    if "date" not in given:
        lines.append(header_line("Date", formatdate(localtime=settings.EMAIL_USE_LOCALTIME)))
    if "message-id" not in given:
        lines.append(header_line("Message-ID", make_msgid(domain=DNS_NAME)))
    lines += [
        header_line(name, value) for name, value in headers.items() if name.lower() not in ADDRESS_FIELDS
    ]
    body = "".join(f"--{boundary}{CRLF}{part}{CRLF}" for part in parts)
    message = f"{CRLF.join(lines)}{CRLF}{CRLF}{body}--{boundary}--{CRLF}"
    return message.encode("utf-8")


class PreparedMessage:
    """A composed message, standing in for the `email.message.Message` Django's message() returns:
    as_bytes() and as_string() give the composed message as it is (the SMTP backend's path), and
    everything else (headers, parts) is read from it parsed, on first use."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        return self.data if linesep == CRLF else self.data.replace(CRLF.encode(), linesep.encode())

    def as_string(self, unixfrom: bool = False, maxheaderlen: int = 0, policy=None) -> str:
        return self.as_bytes().decode("utf-8")

    @functools.cached_property
    def parsed(self) -> Message:
        return email.message_from_bytes(self.data)

    def __getitem__(self, name: str):
        return self.parsed[name]

    def __contains__(self, name: str) -> bool:
        return name in self.parsed

    def __getattr__(self, name: str):
        if name.startswith("__"):  # copy and pickle look for these before `data` is set
            raise AttributeError(name)
        return getattr(self.parsed, name)


class PreparedEmail(EmailMultiAlternatives):
    """An email of a text body and one HTML alternative whose message is composed by
    mime_alternative_compose, without the `email` package (see the module's docstring)."""

    def message(self):
        if not self._composable():
            return super().message()
        [(html, _)] = self.alternatives
        return PreparedMessage(
            mime_alternative_compose(
                subject=self.subject,
                from_email=self.from_email,
                to=self.to,
                text=self.body,
                html=html,
                headers=self.extra_headers,
            )
        )

    def _composable(self) -> bool:
        return (
            self.content_subtype == "plain"
            and (self.encoding or settings.DEFAULT_CHARSET).lower() == "utf-8"
            and len(self.alternatives) == 1
            and self.alternatives[0][1] == "text/html"
            and not (self.attachments or self.cc or self.reply_to)
        )


def email_send(message: EmailMessage, connection: BaseEmailBackend) -> None:
    """Send one email over `connection`, opened here if it is not. Over Django's SMTP backend, a
    PreparedEmail's bytes go to smtplib as they are, with its envelope: the backend's own path
    would parse and sanitise both addresses again for every message. Any other email, or backend
    (locmem in tests, the console), is sent by the backend. Raises what smtplib raises."""
    if not message.recipients():  # as Django's backends: nothing to send
        return
    connection.open()  # a no-op when it is open already
    smtp = connection.connection if isinstance(connection, SMTPEmailBackend) else None
    if isinstance(message, PreparedEmail) and smtp is not None:
        smtp.sendmail(
            address_header_value(message.from_email),
            [address_header_value(address) for address in message.recipients()],
            message.message().as_bytes(linesep=CRLF),
        )
    else:
        connection.send_messages([message])
