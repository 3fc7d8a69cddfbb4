from django.apps import AppConfig


class CoachingConfig(AppConfig):
    name = "coaching"
    verbose_name = "Trainers and clients"

    def ready(self) -> None:
        # Coaching is the top layer: it plugs into the registries and signals of the apps below,
        # which may not import it (docs/architecture.md, "Layers"). Imported here, once the apps
        # are loaded, as Django's ready() hooks are meant to be used.
        from accounts.signup import email_voucher_register
        from coaching import digests, emails, panels, receivers, selectors
        from coaching.views.invitation import invitation_vouches_for
        from notifications.kinds import email_kind_register, weekly_email_register
        from notifications.models import EmailKind
        from notifications.plans import plan_source_register
        from progress.panels import DASHBOARD, SESSION_DETAIL, panel_register
        from progress.signals import session_needs_attention

        email_kind_register(EmailKind.INVITATION, emails.invitation_message)
        email_kind_register(EmailKind.RED_FLAG_ALERT, emails.red_flag_alert_message)
        email_kind_register(EmailKind.TRAINER_DIGEST, emails.trainer_digest_message)
        weekly_email_register(
            EmailKind.TRAINER_DIGEST,
            wanted=lambda user: user.is_trainer and user.trainer_digest_emails,
            build=digests.trainer_digests_build,
        )
        plan_source_register(selectors.assignments_without_reminder)
        email_voucher_register(invitation_vouches_for)
        panel_register(
            DASHBOARD, template="coaching/_assigned_routines.html", context=panels.assigned_routines_panel
        )
        panel_register(
            SESSION_DETAIL, template="coaching/_session_comments.html", context=panels.session_comments_panel
        )
        session_needs_attention.connect(
            receivers.session_needs_attention_alert, dispatch_uid="coaching.session_needs_attention_alert"
        )
