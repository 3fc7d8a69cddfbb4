"""The outbox's emails composed as bytes (notifications.mime): what a mail client parses from
them, read back with Python's own parser, and the same as Django's EmailMultiAlternatives."""

import email
from email import policy
from email.message import EmailMessage

import pytest
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import BadHeaderError

from notifications.mime import PreparedEmail, PreparedMessage, mime_alternative_compose

HEADERS = {
    "Auto-Submitted": "auto-generated",
    "Message-ID": "<delivery-7.reminder@unknot.example>",
    "List-Unsubscribe": "<https://unknot.example/emails/unsubscribe/" + "t0ken" * 20 + "/>",
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}


def compose(
    *,
    subject="[Unknot] Time to stretch",
    from_email="Unknot <hello@unknot.example>",
    to=("sam@example.com",),
    text="Hello Sam,\n\nTime to stretch.\n",
    html="<p>Hello Sam,</p>\n<p>Time to stretch.</p>\n",
    headers=None,
) -> bytes:
    return mime_alternative_compose(
        subject=subject,
        from_email=from_email,
        to=list(to),
        text=text,
        html=html,
        headers=dict(HEADERS if headers is None else headers),
    )


def parse(data: bytes) -> EmailMessage:
    return email.message_from_bytes(data, policy=policy.default)


def parts(message: EmailMessage) -> list[tuple[str, str, str]]:
    # Read from CRLF bytes, the parts keep their CRLFs; a mail client shows them as line ends.
    return [
        (part.get_content_type(), part.get_content_charset(), part.get_content().replace("\r\n", "\n"))
        for part in message.iter_parts()
    ]


def test_it_is_a_multipart_alternative_message_with_a_text_and_an_html_part():
    message = parse(compose())

    assert message.get_content_type() == "multipart/alternative"
    assert message["MIME-Version"] == "1.0"
    assert parts(message) == [
        ("text/plain", "utf-8", "Hello Sam,\n\nTime to stretch.\n"),
        ("text/html", "utf-8", "<p>Hello Sam,</p>\n<p>Time to stretch.</p>\n"),
    ]
    assert message.defects == []
    assert all(part.defects == [] for part in message.iter_parts())


def test_it_carries_the_addresses_subject_date_and_the_given_headers():
    message = parse(compose())

    assert message["Subject"] == "[Unknot] Time to stretch"
    assert message["From"] == "Unknot <hello@unknot.example>"
    assert message["To"] == "sam@example.com"
    assert message["Date"].datetime is not None
    assert message["Message-ID"] == "<delivery-7.reminder@unknot.example>"
    assert message["List-Unsubscribe"] == HEADERS["List-Unsubscribe"]
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert message["Auto-Submitted"] == "auto-generated"


def test_it_gives_a_message_without_one_a_message_id_of_its_own():
    first, second = (parse(compose(headers={}))["Message-ID"] for _ in range(2))

    assert first.startswith("<")
    assert first.endswith(">")
    assert first != second


def test_every_line_ends_in_crlf_and_none_is_longer_than_smtp_allows():
    data = compose(text="a line\n" + "x" * 2000 + "\n", html="<p>" + "é" * 1500 + "</p>")

    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 998
    assert parts(parse(data)) == [
        ("text/plain", "utf-8", "a line\n" + "x" * 2000 + "\n"),
        ("text/html", "utf-8", "<p>" + "é" * 1500 + "</p>"),
    ]


def test_non_ascii_names_and_subjects_are_encoded_and_read_back_as_written():
    data = compose(
        subject="[Unknot] Zoë’s week: 3 sessions 🌿, and a subject long enough to be folded over lines",
        from_email="Ünknot Coach <hello@unknot.example>",
        to=["Zoë Ångström <zoe@exämple.com>"],
        text="Hëllo Zoë 🌿\n",
        html="<p>Hëllo Zoë 🌿</p>",
    )
    message = parse(data)

    headers = data.split(b"\r\n\r\n", 1)[0]
    assert headers.isascii()  # RFC 2047 encoded words; the bodies are 8-bit UTF-8
    assert message["Subject"] == (
        "[Unknot] Zoë’s week: 3 sessions 🌿, and a subject long enough to be folded over lines"
    )
    assert message["From"].addresses[0].display_name == "Ünknot Coach"
    assert message["To"].addresses[0].display_name == "Zoë Ångström"
    assert message["To"].addresses[0].domain == "xn--exmple-cua.com"  # IDNA, as Django sends it
    assert [content for _, _, content in parts(message)] == ["Hëllo Zoë 🌿\n", "<p>Hëllo Zoë 🌿</p>"]


def test_a_line_break_in_a_header_is_refused():
    with pytest.raises(BadHeaderError):
        compose(subject="Hello\nBcc: everyone@example.com")


@pytest.mark.parametrize(
    ("subject", "to", "text", "html"),
    [
        ("[Unknot] Time to stretch", "sam@example.com", "Hello\n\nTime to stretch.\n", "<p>Hi</p>"),
        ("[Unknot] Zoë’s week 🌿 " + "and on " * 10, "zoë@exämple.com", "Hëllo\r\n" + "x" * 1200, "<p>é</p>"),
        ("[Unknot] " + "word " * 30, "Zoë Å <z@example.com>", "plain\n", "<p>" + "é" * 600 + "</p>"),
    ],
)
def test_it_reads_back_as_the_message_django_builds(subject, to, text, html):
    headers = {**HEADERS, "Date": "Mon, 30 Nov 2026 08:00:00 -0000"}
    ours, djangos = (
        email_class(subject=subject, body=text, to=[to], headers=headers)
        for email_class in (PreparedEmail, EmailMultiAlternatives)
    )
    for message in (ours, djangos):
        message.attach_alternative(html, "text/html")

    composed, built = (parse(message.message().as_bytes(linesep="\r\n")) for message in (ours, djangos))

    for name in ("Subject", "From", "To", "Date", "Message-ID", "MIME-Version", *HEADERS):
        # Django's folding leaves a leading space in a long subject or link; mail clients drop it.
        assert str(composed[name]).strip() == str(built[name]).strip(), name
    assert parts(composed) == parts(built)


def test_its_message_answers_as_a_parsed_message_does():
    message = PreparedEmail(subject="Hi", body="Hello\n", to=["sam@example.com"], headers=HEADERS)
    message.attach_alternative("<p>Hello</p>", "text/html")

    prepared = message.message()

    assert isinstance(prepared, PreparedMessage)
    assert prepared["Subject"] == "Hi"
    assert "List-Unsubscribe-Post" in prepared
    assert [part.get_content_type() for part in prepared.walk()][1:] == ["text/plain", "text/html"]
    assert prepared.as_bytes().count(b"\r\n") == 0  # "\n" line ends, as email.message's default


def test_an_email_it_does_not_cover_is_built_by_django():
    message = PreparedEmail(subject="Hi", body="Hello\n", to=["sam@example.com"], cc=["alex@example.com"])
    message.attach_alternative("<p>Hello</p>", "text/html")
    message.attach("notes.txt", "Notes", "text/plain")

    built = parse(message.message().as_bytes())

    assert built.get_content_type() == "multipart/mixed"
    assert built["Cc"] == "alex@example.com"


def test_an_email_with_no_one_to_send_it_to_is_not_sent(mailoutbox):
    from django.core.mail import get_connection

    from notifications.mime import email_send

    email_send(PreparedEmail(subject="Hi", body="Hello\n", to=[], headers=HEADERS), get_connection())
    email_send(
        PreparedEmail(subject="Hi", body="Hello\n", to=["sam@example.com"], headers=HEADERS), get_connection()
    )

    assert [message.to for message in mailoutbox] == [["sam@example.com"]]
