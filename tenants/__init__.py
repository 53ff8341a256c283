"""What an institution works with. Every page here is served inside one tenant (/i/<slug>/)."""


def blueprints():
    from .audit.views import bp as audit_bp
    from .home.views import bp as home_bp
    from .imports.views import bp as imports_bp
    from .participants.views import bp as participants_bp
    from .reports.views import bp as reports_bp

    return [home_bp, reports_bp, audit_bp, participants_bp, imports_bp]
