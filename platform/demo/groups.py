"""The demo region's working groups, from the seeds: a MOPS working group of the project „Fachowa
siła przyszłością dla rodziny” (MOPS, a social-initiatives centre, academics) that invites the PUP,
hears its catalogue of services and decides that MOPS–PUP cooperation goes into an agreement by the
third quarter (the agreement is seeded from that decision), and the OWES's thematic group on
cooperation between institutions of the project „Świętokrzyska Ekonomia Społeczna”, meeting in
Kielce with a social cooperative's guest. Each has a past meeting with approved minutes and
attendance, a next one with an agenda, and tasks: one of them overdue."""
from datetime import date, time, timedelta

from sqlalchemy import select

from ..accounts.models import Membership, MembershipRole, User
from ..extensions import db
from ..institutions.models import Institution
from ..tenancy import tenant_scope

MOPS, PUP, OWES, MOPR = "mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce", "mopr-kielce"
WORKING_GROUP = "Grupa Robocza projektu „Fachowa siła przyszłością dla rodziny”"
THEMATIC_GROUP = "Grupa Tematyczna ds. współpracy międzyinstytucjonalnej"


def _staff(institution: Institution, role: MembershipRole) -> User:
    return db.session.execute(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.institution_id == institution.id, Membership.role == role).order_by(User.id)).scalars().first()


def _group(owner, name):
    from regionet.tenants.groups.models import WorkingGroup

    with tenant_scope(owner.id):
        return db.session.execute(select(WorkingGroup).where(WorkingGroup.name == name,
                                                             WorkingGroup.tenant_id == owner.id)).scalar_one_or_none()


def _join(group_id, owner, guest, person_role):
    """`guest` accepts the owner's invitation and adds one of its staff."""
    from regionet.tenants.groups.models import WorkingGroup
    from regionet.tenants.groups.services import do_accept_invitation, do_add_member, do_invite_institution

    with tenant_scope(owner.id):
        do_invite_institution(db.session.get(WorkingGroup, (owner.id, group_id)), guest.id)
        db.session.commit()
    with tenant_scope(guest.id):
        group = db.session.get(WorkingGroup, (owner.id, group_id))
        do_accept_invitation(group, guest.id)
        person = _staff(guest, MembershipRole.STAFF)
        do_add_member(group, guest.id, person.id, None, None, person_role, None, None)
        db.session.commit()


def _meeting(group, user, title, day, starts, ends, place, agenda, attendance=None, minutes=None, approver=None):
    from regionet.tenants.groups.services import (
        do_add_agenda_item,
        do_approve_minutes,
        do_record_attendance,
        do_save_meeting,
        do_save_minutes,
    )

    meeting = do_save_meeting(group, None, user, title, day, starts, ends, place, None)
    for item_title, presenter, minutes_long in agenda:
        do_add_agenda_item(meeting, item_title, presenter, minutes_long, None)
    db.session.refresh(meeting)
    for row in meeting.attendance:
        presence = (attendance or {}).get(row.name, "present" if attendance is not None else None)
        if presence:
            do_record_attendance(meeting, {str(row.id): (presence, None)})
    if minutes:
        do_save_minutes(meeting, user, *minutes)
        do_approve_minutes(meeting, approver or user)
    return meeting


def _seed_working_group(mops, pup, today) -> None:
    from regionet.tenants.groups.services import (
        do_add_guest,
        do_add_member,
        do_close_action,
        do_create_group,
        do_save_action,
    )

    chair, secretary = _staff(mops, MembershipRole.STAFF), _staff(mops, MembershipRole.ADMIN)
    with tenant_scope(mops.id):
        group = do_create_group(mops, chair, WORKING_GROUP, "working",
                                "Wypracowanie modelu pracy socjalnej: systemu współpracy międzyinstytucjonalnej "
                                "MOPS, Centrum Inicjatyw Społecznych i nauczycieli akademickich, który poprawi "
                                "jakość i efektywność pomocy dla rodzin.", "projekt „Fachowa siła przyszłością dla "
                                "rodziny”")
        do_add_member(group, mops.id, secretary.id, None, None, "secretary", today - timedelta(days=400), None)
        do_add_member(group, mops.id, None, "Marek Lis", "Centrum Inicjatyw Społecznych", "member", None, None)
        do_add_member(group, mops.id, None, "dr Anna Nowak", "Uniwersytet Jana Kochanowskiego w Kielcach", "member",
                      None, None)
        db.session.commit()
        group_id = group.id
    _join(group_id, mops, pup, "guest")
    with tenant_scope(mops.id):
        from regionet.tenants.groups.models import WorkingGroup

        group = db.session.get(WorkingGroup, (mops.id, group_id))
        past = _meeting(group, chair, "Formy wsparcia Powiatowego Urzędu Pracy", today - timedelta(days=24),
                        time(10, 0), time(12, 0), "Sala konferencyjna MOPS Skarżysko-Kamienna", [
                            ("Katalog usług i form aktywizacji osób bezrobotnych PUP", "PUP Skarżysko-Kamienna", 40),
                            ("Praca doradców zawodowych: ścieżka pracy z klientem", "PUP Skarżysko-Kamienna", 20),
                            ("Dyskusja: współpraca MOPS–PUP w pracy z rodzinami", None, 30)],
                        attendance={"dr Anna Nowak": "excused"},
                        minutes=("PUP przedstawił katalog usług, formy aktywizacji i wsparcia finansowego oraz pracę "
                                 "doradców zawodowych. PUP złożył wstępną deklarację udziału w wypracowywanym modelu "
                                 "pracy socjalnej.",
                                 "Szczegóły współpracy MOPS–PUP w pracy z rodzinami objętymi projektem zostaną "
                                 "doprecyzowane w porozumieniu, zawartym najpóźniej w III kwartale. Przyjęto "
                                 "jednogłośnie."))
        do_add_guest(past, "Ewa Zielińska", "Powiatowe Centrum Pomocy Rodzinie")
        agreement = do_save_action(group, None, past, "Zawrzeć porozumienie MOPS–PUP o współpracy w pracy z "
                                   "rodzinami (najpóźniej w III kwartale)", f"i:{mops.id}", today + timedelta(days=60))
        do_close_action(agreement, today - timedelta(days=3))
        do_save_action(group, None, past, "Przygotować ankietę do analizy narzędzi badawczych",
                       f"m:{next(m.id for m in group.members if m.user_id == secretary.id)}", today - timedelta(days=4))
        _meeting(group, chair, "Analiza koncepcji i narzędzi badawczych", today + timedelta(days=9), time(13, 0),
                 time(15, 0), "Sala konferencyjna MOPS Skarżysko-Kamienna", [
                     ("Analiza koncepcji i narzędzi badawczych", "dr Anna Nowak", 60),
                     ("Czynności pracownika socjalnego w modelu", "MOPS Skarżysko-Kamienna", 45)])
        agreement_id = _seed_agreement(mops, pup, agreement, chair, today)
        db.session.commit()
    _confirm_agreement(pup, agreement_id)


def _seed_agreement(mops, pup, action, user, today):
    """The agreement the working group decided on: one record shared by the MOPS (which recorded it)
    and the PUP, linked to the group's task it came from."""
    from .partners import DemoAgreement, _agreement, _platform_partner

    spec = DemoAgreement("MOPS.PS.4012.11.2026", "Porozumienie MOPS–PUP o współpracy w pracy z rodzinami",
                         "cooperation", "Zasady współpracy MOPS i PUP w pracy z rodzinami objętymi projektem "
                         "„Fachowa siła przyszłością dla rodziny”, ustalone przez Grupę Roboczą projektu.",
                         (PUP,), 3, 730)
    return _agreement(mops, spec, [_platform_partner(mops, pup)], today, origin_action=action, user=user).id


def _confirm_agreement(pup, agreement_id) -> None:
    """The PUP confirms the shared agreement from its own workspace."""
    from regionet.tenants.partners.models import Agreement
    from regionet.tenants.partners.services import do_confirm_agreement

    with tenant_scope(pup.id):
        agreement = db.session.execute(select(Agreement).where(Agreement.id == agreement_id)).scalar_one()
        do_confirm_agreement(agreement, pup.id, _staff(pup, MembershipRole.STAFF) or _staff(pup, MembershipRole.ADMIN))
        db.session.commit()


def _seed_thematic_group(owes, mopr, pup, today) -> None:
    from regionet.tenants.groups.models import WorkingGroup
    from regionet.tenants.groups.services import do_add_member, do_create_group, do_save_action

    chair = _staff(owes, MembershipRole.STAFF)
    with tenant_scope(owes.id):
        group = do_create_group(owes, chair, THEMATIC_GROUP, "thematic",
                                "Dobre praktyki we współpracy ośrodków wsparcia ekonomii społecznej z ośrodkami pomocy "
                                "społecznej i urzędami pracy.", "projekt „Świętokrzyska Ekonomia Społeczna”")
        do_add_member(group, owes.id, None, "Karolina Jarosz", "Regionalny Ośrodek Polityki Społecznej UMWŚ", "member",
                      None, None)
        do_add_member(group, owes.id, None, "Ewa Roman", "Spółdzielnia Socjalna „Wspólny Sukces”", "guest", None, None)
        db.session.commit()
        group_id = group.id
    _join(group_id, owes, mopr, "member")
    _join(group_id, owes, pup, "member")
    with tenant_scope(owes.id):
        group = db.session.get(WorkingGroup, (owes.id, group_id))
        past = _meeting(group, chair, "Współpraca OWES z OPS i PUP: dobre praktyki", today - timedelta(days=40),
                        time(10, 0), time(13, 0), "Wojewódzka Biblioteka Publiczna w Kielcach", [
                            ("Kalendarz wydarzeń projektu „Świętokrzyska Ekonomia Społeczna”", "Karolina Jarosz", 20),
                            ("Spółdzielnia socjalna jako miejsce pracy uczestników WTZ", "Ewa Roman", 40),
                            ("Dyskusja: dobre praktyki, porażki i oczekiwania", None, 60)], attendance={},
                        minutes=("Omówiono przykłady współpracy OWES z OPS i PUP oraz doświadczenia Spółdzielni "
                                 "Socjalnej „Wspólny Sukces”.", "Grupa zbierze przykłady współpracy do katalogu "
                                 "dobrych praktyk regionu."))
        mopr_member = next(m for m in group.members if m.institution_id == mopr.id)
        do_save_action(group, None, past, "Zebrać przykłady współpracy OWES–OPS do katalogu dobrych praktyk",
                       f"m:{mopr_member.id}", today + timedelta(days=20))
        _meeting(group, chair, "Zakup prospołeczny w gminach", today + timedelta(days=30), time(10, 0), time(12, 0),
                 "Regionalny Ośrodek Polityki Społecznej w Kielcach", [
                     ("Klauzule społeczne w zamówieniach gmin", "OWES Kielce", 45)])
        db.session.commit()


def do_seed_demo_groups(today: date) -> list[str]:
    """The two groups, once (nothing when the MOPS's working group exists)."""
    found = {i.slug: i for i in db.session.execute(
        select(Institution).where(Institution.slug.in_([MOPS, PUP, OWES, MOPR]))).scalars()}
    if len(found) < 4 or _group(found[MOPS], WORKING_GROUP) is not None:
        return []
    _seed_working_group(found[MOPS], found[PUP], today)
    _seed_thematic_group(found[OWES], found[MOPR], found[PUP], today)
    return [f"working groups: {WORKING_GROUP}; {THEMATIC_GROUP}"]
