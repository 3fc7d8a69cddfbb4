"""Headers every email Unknot sends on its own carries: allauth's (accounts.adapter) and the
outbox's (notifications.messages).

RFC 3834: `Auto-Submitted: auto-generated` tells mail systems no person wrote it, so well-behaved
auto-responders (out-of-office replies, vacation notices) do not answer it; Exchange reads
`X-Auto-Response-Suppress` instead. Bounces (NDRs) still come back.
"""

AUTOMATED_EMAIL_HEADERS = {
    "Auto-Submitted": "auto-generated",
    "X-Auto-Response-Suppress": "OOF, AutoReply",
}
