"""What an institution works with. Every page here is served inside one tenant (/i/<slug>/)."""


def blueprints():
    from .attachments.views import bp as attachments_bp
    from .audit.views import bp as audit_bp
    from .calendar.views import bp as calendar_bp
    from .calendar.views import feed_bp as calendar_feed_bp
    from .esf.views import bp as esf_bp
    from .group_sessions.views import bp as group_sessions_bp
    from .groups.meeting_views import bp as meetings_bp
    from .groups.views import bp as groups_bp
    from .home.views import bp as home_bp
    from .imports.views import bp as imports_bp
    from .participants.views import bp as participants_bp
    from .partners.agreement_views import bp as agreements_bp
    from .partners.partner_views import bp as partners_bp
    from .periods.views import bp as periods_bp
    from .plans.views import bp as plans_bp
    from .practices.catalogue_views import bp as catalogue_bp
    from .practices.views import bp as practices_bp
    from .privacy.request_views import bp as privacy_requests_bp
    from .privacy.views import bp as privacy_bp
    from .projects.views import bp as projects_bp
    from .referrals.views import bp as referrals_bp
    from .reports.views import bp as reports_bp
    from .service_catalogue.views import bp as services_bp
    from .staff.views import bp as staff_bp
    from .support.views import bp as support_bp

    return [home_bp, participants_bp, imports_bp, projects_bp, support_bp, group_sessions_bp, esf_bp, plans_bp, partners_bp,
            agreements_bp, attachments_bp, practices_bp, catalogue_bp, periods_bp, reports_bp, audit_bp, staff_bp,
            services_bp, groups_bp, meetings_bp, privacy_bp, privacy_requests_bp, referrals_bp, calendar_bp,
            calendar_feed_bp]
