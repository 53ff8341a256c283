"""What an institution works with. Every page here is served inside one tenant (/i/<slug>/)."""


def blueprints():
    from .audit.views import bp as audit_bp
    from .home.views import bp as home_bp
    from .periods.views import bp as periods_bp
    from .reports.views import bp as reports_bp

    return [home_bp, reports_bp, audit_bp, periods_bp]
