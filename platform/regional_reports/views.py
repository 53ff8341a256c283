from ..practices.web import RegionBlueprint

bp = RegionBlueprint("regional_reports", __name__, url_prefix="/reports", template_folder="templates")


@bp.route("/")
def index():
    return "todo"
