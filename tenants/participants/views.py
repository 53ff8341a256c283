"""Pages of an institution's participants. Thin: reads from queries, writes through services."""
import uuid

from flask import flash, g, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from markupsafe import Markup

from regionet.platform.exports import spreadsheet_response
from regionet.platform.extensions import db
from regionet.platform.tenancy.web import TenantBlueprint, current_institution, require_writer, sees_special_categories
from regionet.platform.ui.labels import LabelMap
from regionet.platform.ui.listing import ListQuery
from regionet.platform.validation import ValidationFailed, apply_to_form
from regionet.tenants.audit.models import AccessAction
from regionet.tenants.audit.queries import history_for
from regionet.tenants.audit.recording import record_access, render_recorded_view
from regionet.tenants.plans.queries import plans_of_participant
from regionet.tenants.privacy.consents import people_without, withdrawn
from regionet.tenants.privacy.models import ConsentPurpose
from regionet.tenants.referrals.queries import referrals_of_participant

from . import services
from .communes import CommuneCatalogue
from .display import ANSWER_HIDDEN, display_value, list_lines, pick_label, readable_history
from .forms import ParticipantForm
from .labels import (
    FIELD_LABELS,
    ISCED_LABELS,
    LABOUR_STATUS_LABELS,
    LEGAL_BASIS_LABELS,
    SENSITIVE_FIELDS,
    SENSITIVE_LABELS,
    SEX_LABELS,
    SPECIAL_ANSWER_FIELDS,
)
from .models import Participant
from .queries import (
    FILTERS,
    SORTABLE,
    access_participant,
    enrolment_count,
    enrolments_of,
    participants_for_tenant,
    people_to_pick_for_tenant,
    registered_by,
    sorted_listing_statement,
)
from .spreadsheet import COLUMNS, EXPORT_EXTRA_HEADERS, export_row
from .timeline import timeline_of

bp = TenantBlueprint("tenant_participants", __name__, url_prefix="/participants", template_folder="templates")


# Templates read translated labels cached per language (a list prints hundreds of them).
TEMPLATE_LABELS = {
    "sex_labels": LabelMap(SEX_LABELS), "isced_labels": LabelMap(ISCED_LABELS),
    "labour_status_labels": LabelMap(LABOUR_STATUS_LABELS), "sensitive_labels": LabelMap(SENSITIVE_LABELS),
    "legal_basis_labels": LabelMap(LEGAL_BASIS_LABELS), "participant_field_labels": LabelMap(FIELD_LABELS),
}


@bp.app_context_processor
def participant_labels():
    return {**TEMPLATE_LABELS, "sensitive_fields": SENSITIVE_FIELDS, "sees_special": sees_special_categories()}


def _communes() -> CommuneCatalogue:
    if "participant_communes" not in g:
        g.participant_communes = CommuneCatalogue.for_region(current_institution().region_code)
    return g.participant_communes


def _listing() -> ListQuery:
    # Filtering by disability would tell who has one: only for members who see the answers.
    filters = FILTERS if sees_special_categories() else tuple(f for f in FILTERS if f not in SENSITIVE_FIELDS)
    return ListQuery.from_request(SORTABLE, "name", filters=filters)


def _criteria(listing: ListQuery) -> str:
    return ", ".join(f"{k}={v}" for k, v in sorted({"q": listing.q, **listing.filters}.items()) if v)


@bp.route("/")
def index():
    listing = _listing()
    page = participants_for_tenant(listing, _communes().names)
    lines = list_lines(page.items, TEMPLATE_LABELS["sex_labels"], TEMPLATE_LABELS["labour_status_labels"])
    # Names and birth dates are personal data, and a search names whom it looked for: both are
    # in the access trail.
    detail = _("Page %(page)s", page=listing.page)
    criteria = _criteria(listing)
    return render_recorded_view(
        "participants/index.html", "participant_list", detail=f"{detail} ({criteria})" if criteria else detail,
        page=page, lines=lines, listing=listing,
        sex_options=_options(listing, "sex", TEMPLATE_LABELS["sex_labels"].translated()),
        status_options=_options(listing, "labour_status", TEMPLATE_LABELS["labour_status_labels"].translated()),
        disability_options=_options(listing, "disability", TEMPLATE_LABELS["sensitive_labels"].translated())
        if sees_special_categories() else None,
        commune_options=_options(listing, "commune", {c.code: f"{c.name} ({c.code})" for c in _communes().communes}))


def _options(listing: ListQuery, name: str, labels: dict) -> list[tuple[str, str, bool]]:
    """(value, text, selected) of a filter's choices."""
    chosen = listing.filters.get(name)
    return [(value, text, value == chosen) for value, text in
            ((getattr(key, "value", key), text) for key, text in labels.items())]


@bp.route("/pick")
def pick():
    """The person pickers' type-ahead (platform/ui/static/combobox.js): the institution's people
    matching what was typed, at most PICK_LIMIT, each as its id and a line naming them (name and
    PESEL, or the birth date when there is none); never anything else of the record. The search
    is in the access trail, as the list's is."""
    q = (request.args.get("q") or "").strip()[:100]
    people = people_to_pick_for_tenant(q)
    if q:
        record_access(AccessAction.VIEW, "participant_search", detail=_("Search for a person: %(q)s", q=q))
    return jsonify(results=[{"value": str(p.id), "text": pick_label(p)} for p in people])


@bp.route("/export.xlsx")
def export_xlsx():
    return _export("xlsx")


@bp.route("/export.csv")
def export_csv():
    return _export("csv")


@bp.route("/export-selected", methods=["POST"])
def export_selected():
    """The people ticked on the list (bulk action), in the list's format."""
    if not FlaskForm().validate_on_submit():
        return redirect(url_for(".index"))
    ids = [i for i in (_uuid_or_none(v) for v in request.form.getlist("selected")) if i is not None]
    if not ids:
        flash(_("Tick the people to export first."), "error")
        return redirect(url_for(".index"))
    return _export("csv" if request.form.get("fmt") == "csv" else "xlsx", ids)


def _uuid_or_none(value: str):
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def _export(fmt: str, ids: list | None = None):
    listing = _listing()
    names = _communes().names
    no_contact = people_without(ConsentPurpose.FOLLOW_UP)   # withdrawn: no phone or e-mail leaves
    hide = not sees_special_categories()
    statement = sorted_listing_statement(listing)
    if ids is not None:
        statement = statement.where(Participant.id.in_(ids))
    rows = [export_row(participant, names.get(participant.commune_code or ""), participant.id in no_contact,
                       hide_special=hide)
            for participant in db.session.execute(statement).scalars()]
    criteria = _criteria(listing) if ids is None else _("ticked on the list")
    detail = _("%(format)s file, %(count)s rows", format=fmt.upper(), count=len(rows))
    record_access(AccessAction.EXPORT, "participant_list", detail=f"{detail} ({criteria})" if criteria else detail)
    headers = [column.header for column in COLUMNS] + list(EXPORT_EXTRA_HEADERS)
    stem = f"uczestnicy-{current_institution().slug}-{services.today_in_poland():%Y-%m-%d}"
    return spreadsheet_response(stem, fmt, headers, rows)


@bp.route("/new", methods=["GET", "POST"])
@require_writer
def create():
    form = _form()
    if form.is_submitted():
        form.validate()  # reads the typed text; the rules are applied by the service
        try:
            participant = services.do_register_participant(form.values(), _communes(), current_user.id,
                                                           form.unreadable_fields())
        except ValidationFailed as failure:
            _show_failure(form, failure)
        else:
            flash(_("%(name)s has been registered.", name=participant.full_name), "success")
            return redirect(url_for(".detail", participant_id=participant.id))
    return render_template("participants/form.html", form=form, participant=None), _status(form)


@bp.route("/<uuid:participant_id>")
def detail(participant_id):
    participant = access_participant(participant_id)
    communes = _communes()
    values = {name: display_value(name, getattr(participant, name), communes) for name in FIELD_LABELS}
    values["created_by_id"] = registered_by(participant)
    hidden = frozenset() if sees_special_categories() else frozenset(SPECIAL_ANSWER_FIELDS)
    for name in hidden:   # that an answer exists, not what it is
        values[name] = ANSWER_HIDDEN if values[name] is not None else None
    return render_recorded_view("participants/detail.html", "participant", participant.id,
                                detail=participant.full_name, participant=participant, values=values, commune=communes.get(participant.commune_code), enrolments=enrolments_of(participant),
                                referrals=referrals_of_participant(participant),
                           plans=plans_of_participant(participant.id), timeline=timeline_of(participant.id),
                           history=readable_history(history_for(participant), communes, hidden),
                           no_contact=withdrawn(participant.id, ConsentPurpose.FOLLOW_UP))


@bp.route("/<uuid:participant_id>/edit", methods=["GET", "POST"])
@require_writer
def edit(participant_id):
    participant = access_participant(participant_id)
    form = _form()
    if form.is_submitted():
        form.validate()
        values = form.values()
        if not sees_special_categories():   # answers they cannot see stay as they are
            values.update({name: getattr(getattr(participant, name), "value", None) for name in SPECIAL_ANSWER_FIELDS})
        try:
            services.do_update_participant(participant, values, _communes(),
                                           form.unreadable_fields() - frozenset(() if sees_special_categories()
                                                                                else SPECIAL_ANSWER_FIELDS))
        except ValidationFailed as failure:
            _show_failure(form, failure)
        else:
            flash(_("The changes have been saved."), "success")
            return redirect(url_for(".detail", participant_id=participant.id))
    else:
        form.fill_from(participant)
    return render_template("participants/form.html", form=form, participant=participant), _status(form)


@bp.route("/<uuid:participant_id>/delete", methods=["GET", "POST"])
@require_writer
def delete(participant_id):
    participant = access_participant(participant_id)
    form = FlaskForm()
    if form.validate_on_submit():
        name = participant.full_name
        try:
            services.do_delete_participant(participant)
        except ValidationFailed as failure:
            db.session.rollback()
            flash(" ".join(failure.errors["participant"]), "error")
            return redirect(url_for(".detail", participant_id=participant.id))
        flash(_("%(name)s has been deleted.", name=name), "success")
        return redirect(url_for(".index"))
    return render_template("participants/delete.html", participant=participant, form=form,
                           enrolled=enrolment_count(participant))


def _form() -> ParticipantForm:
    form = ParticipantForm()
    form.commune_code.choices = _communes().grouped_choices(
        current_institution().teryt_code, _("Your institution's commune"))
    return form


def _status(form: ParticipantForm) -> int:
    return 422 if form.form_errors or any(f.errors for f in form) else 200


def _show_failure(form: ParticipantForm, failure: ValidationFailed) -> None:
    db.session.rollback()
    if isinstance(failure, services.DuplicatePesel) and failure.existing_id:
        link = Markup('<a href="{}">{}</a>').format(
            url_for(".detail", participant_id=failure.existing_id), failure.existing_name)
        failure.errors["pesel"] = [Markup(_(
            "A participant with this PESEL is already registered in your institution: %(link)s.", link=link))]
    apply_to_form(form, failure)
