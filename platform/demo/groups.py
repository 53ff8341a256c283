"""The demo region's working groups, from the seeds: a MOPS working group of the project „Fachowa
siła przyszłością dla rodziny” (MOPS, a social-initiatives centre, academics) that invites the PUP,
hears its catalogue of services and decides that MOPS–PUP cooperation goes into an agreement by the
third quarter (the agreement is seeded from that decision), and the OWES's thematic group on
cooperation between institutions of the project „Świętokrzyska Ekonomia Społeczna”, meeting in
Kielce with a social cooperative's guest. Each has a past meeting with approved minutes and
attendance, a next one with an agenda, and tasks: one of them overdue. And the region's own group,
owned by the region's office (platform/regional_groups): its social-economy committee (RKRES), with
members from four institutions, on the coordinator's pages and the region's calendar."""
from datetime import date, time, timedelta

from sqlalchemy import select

from ..accounts.models import Membership, MembershipRole, User
from ..extensions import db
from ..institutions.models import Institution
from ..tenancy import tenant_scope

MOPS, PUP, OWES, MOPR = "mops-skarzysko-kamienna", "pup-skarzysko-kamienna", "owes-kielce", "mopr-kielce"
WORKING_GROUP = "Grupa Robocza projektu „Fachowa siła przyszłością dla rodziny”"
THEMATIC_GROUP = "Grupa Tematyczna ds. współpracy międzyinstytucjonalnej"
COMMITTEE = "Regionalny Komitet Rozwoju Ekonomii Społecznej"


def _staff(institution: Institution, role: MembershipRole) -> User:
    return db.session.execute(select(User).join(Membership, Membership.user_id == User.id).where(
        Membership.institution_id == institution.id, Membership.role == role).order_by(User.id)).scalars().first()


def _group(owner, name):
    from regionet.tenants.groups.models import WorkingGroup

    with tenant_scope(owner.id):
        return db.session.execute(select(WorkingGroup).where(WorkingGroup.name == name,
                                                             WorkingGroup.tenant_id == owner.id)).scalar_one_or_none()


def _join(group_id, owner, guest, person_role, person=None):
    """`guest` accepts the owner's invitation and adds one of its staff (`person`, or its first staff member)."""
    from regionet.tenants.groups.models import WorkingGroup
    from regionet.tenants.groups.services import do_accept_invitation, do_add_member, do_invite_institution

    with tenant_scope(owner.id):
        do_invite_institution(db.session.get(WorkingGroup, (owner.id, group_id)), guest.id)
        db.session.commit()
    with tenant_scope(guest.id):
        group = db.session.get(WorkingGroup, (owner.id, group_id))
        do_accept_invitation(group, guest.id)
        person = person or _staff(guest, MembershipRole.STAFF)
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
        mark = (attendance or {}).get(row.name, "present" if attendance is not None else None)
        if mark:   # "present", or (presence, substitute)
            do_record_attendance(meeting, {str(row.id): mark if isinstance(mark, tuple) else (mark, None)})
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


def _weekday(day: date) -> date:
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _seed_committee(office, coordinator, found, today) -> None:
    """The region's social-economy committee (RKRES, act on social economy art. 55-58), owned by the
    region's office: the coordinator is its secretary (ROPS serves the committee), the OWES chairs it,
    the MOPR, the PUP and the MOPS sit in it with an academic and a social cooperative's guest; its last
    meeting gave an opinion on the regional programme, and its next one is on the region's calendar."""
    from regionet.tenants.groups.models import WorkingGroup
    from regionet.tenants.groups.services import (
        do_add_guest,
        do_add_member,
        do_close_action,
        do_create_group,
        do_save_action,
    )

    owes, mopr, pup, mops = found[OWES], found[MOPR], found[PUP], found[MOPS]
    with tenant_scope(office.id):
        group = do_create_group(office, coordinator, COMMITTEE, "committee",
                                "Opiniowanie regionalnego programu rozwoju ekonomii społecznej i jego realizacji, "
                                "współpraca samorządów, OPS, PUP, OWES i podmiotów ekonomii społecznej w regionie "
                                "(art. 55–58 ustawy o ekonomii społecznej); kadencja trzyletnia.",
                                "kadencja 2025–2028", creator_role="secretary")
        do_add_member(group, office.id, None, "dr hab. Piotr Zieliński", "Uniwersytet Jana Kochanowskiego w Kielcach",
                      "member", today - timedelta(days=400), None)
        do_add_member(group, office.id, None, "Ewa Roman", "Spółdzielnia Socjalna „Wspólny Sukces”", "guest", None,
                      None)
        db.session.commit()
        group_id = group.id
    chair = _staff(owes, MembershipRole.ADMIN)
    _join(group_id, office, owes, "chair", chair)
    for institution in (mopr, pup, mops):
        _join(group_id, office, institution, "member", _staff(institution, MembershipRole.ADMIN))
    with tenant_scope(office.id):
        group = db.session.get(WorkingGroup, (office.id, group_id))
        past = _meeting(group, coordinator, "Opinia o projekcie regionalnego programu rozwoju ekonomii społecznej",
                        _weekday(today - timedelta(days=35)), time(10, 0), time(13, 0),
                        "Urząd Marszałkowski Województwa Świętokrzyskiego, al. IX Wieków Kielc 3, Kielce", [
                            ("Przyjęcie porządku obrad i protokołu poprzedniego posiedzenia", "Małgorzata Nowak", 10),
                            ("Projekt Regionalnego Programu Rozwoju Ekonomii Społecznej w Województwie "
                             "Świętokrzyskim", "Regionalny Ośrodek Polityki Społecznej", 60),
                            ("Wsparcie podmiotów ekonomii społecznej w subregionie kieleckim: informacja OWES",
                             "OWES Kielce", 30),
                            ("Sprawy różne", None, 15)],
                        attendance={"Roman Białek": ("present", "Agnieszka Buryło"),
                                    "dr hab. Piotr Zieliński": "excused", "Ewa Roman": "absent"},
                        minutes=("Komitet zapoznał się z projektem regionalnego programu rozwoju ekonomii społecznej "
                                 "przedstawionym przez ROPS oraz z informacją OWES Kielce o wsparciu podmiotów "
                                 "ekonomii społecznej. W dyskusji wskazano na potrzebę klauzul społecznych w "
                                 "zamówieniach gmin oraz na współpracę OPS i PUP z OWES przy kierowaniu osób do "
                                 "spółdzielni socjalnych.",
                                 "Komitet pozytywnie zaopiniował projekt programu z uwagami zgłoszonymi w dyskusji "
                                 "(za: 5, przeciw: 0, wstrzymało się: 0). ROPS uwzględni uwagi w projekcie "
                                 "przekazywanym Zarządowi Województwa."),
                        approver=chair)
        do_add_guest(past, "Anna Mazur", "Wojewódzki Urząd Pracy w Kielcach")
        member = {m.full_name: m for m in group.members}
        remarks = do_save_action(group, None, past, "Przekazać ROPS na piśmie uwagi do projektu programu",
                                 f"i:{owes.id}", past.starts_at.date() + timedelta(days=14))
        do_close_action(remarks, past.starts_at.date() + timedelta(days=10))
        do_save_action(group, None, past, "Zestawić skierowania osób z OPS i PUP do podmiotów ekonomii społecznej "
                       "w 2026 r.", f"m:{member['Ewa Kamińska'].id}", today + timedelta(days=10))
        do_save_action(group, None, past, "Przygotować informację o klauzulach społecznych w zamówieniach gmin "
                       "regionu", f"m:{member[coordinator.full_name].id}", today + timedelta(days=5))
        _meeting(group, coordinator, "Zakup prospołeczny w gminach i plan pracy Komitetu na 2027 r.",
                 _weekday(today + timedelta(days=7)), time(10, 0), time(12, 30),
                 "Urząd Marszałkowski Województwa Świętokrzyskiego, al. IX Wieków Kielc 3, Kielce", [
                     ("Klauzule społeczne w zamówieniach publicznych gmin: informacja ROPS", "Karolina Jarosz", 30),
                     ("Skierowania z OPS i PUP do podmiotów ekonomii społecznej", "MOPR Kielce", 20),
                     ("Plan pracy Komitetu na 2027 r.", "Małgorzata Nowak", 30)])
        db.session.commit()


def do_seed_demo_groups(today: date) -> list[str]:
    """The two groups and the region's committee, each once (nothing for a group that exists)."""
    from ..regional_groups.office import do_region_office, region_office
    from ..regions.models import Region
    from .seed import COORDINATOR, DEMO_REGION, demo_login

    found = {i.slug: i for i in db.session.execute(
        select(Institution).where(Institution.slug.in_([MOPS, PUP, OWES, MOPR]))).scalars()}
    if len(found) < 4:
        return []
    created = []
    if _group(found[MOPS], WORKING_GROUP) is None:
        _seed_working_group(found[MOPS], found[PUP], today)
        _seed_thematic_group(found[OWES], found[MOPR], found[PUP], today)
        created.append(f"working groups: {WORKING_GROUP}; {THEMATIC_GROUP}")
    region = db.session.get(Region, DEMO_REGION)
    coordinator = db.session.execute(select(User).where(User.email == demo_login(COORDINATOR[1]))).scalar_one_or_none()
    office = region_office(region) if region is not None else None
    if coordinator is not None and (office is None or _group(office, COMMITTEE) is None):
        office = do_region_office(region)
        db.session.commit()
        _seed_committee(office, coordinator, found, today)
        created.append(f"regional working group: {COMMITTEE}")
    return created
