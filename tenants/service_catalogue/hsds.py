"""The region's published services as Open Referral HSDS 3.x JSON.

The shape of the HSDS API's `/services` answer: one page holding every service, each with its
organization, service_at_locations (with the location and its address), schedules, service
areas, contacts, phones, required documents and a taxonomy attribute for its type. What HSDS
has no field for (the Polish legal basis of a referral, TERYT codes, the minimum data set, the
days to accept) is in the service's `regionet` extension object. Ids are UUIDs; those of the
objects kept inside a service row (location, contact, schedule, ...) are derived from the
service's id, so an export gives the same ids each time.
"""
import re
import uuid

from .labels import SERVICE_TYPE_LABELS
from .models import Service

HSDS_VERSION = "3.1"
_NAMESPACE = uuid.UUID("6c0b7f2e-7a51-4a0d-9d8a-2f1d3f6c9a10")
_POSTCODE = re.compile(r"\b(\d{2}-\d{3})\b")


def _id(kind: str, key) -> str:
    return str(uuid.uuid5(_NAMESPACE, f"{kind}:{key}"))


def organization(institution) -> dict:
    found = {"id": _id("organization", institution.id), "name": institution.name,
             "alternate_name": institution.short_name,
             "description": f"{institution.name} ({institution.teryt_unit.name})", "identifiers": []}
    if institution.regon:
        found["identifiers"].append({"id": _id("regon", institution.id), "identifier_scheme": "PL-REGON",
                                     "identifier_type": "REGON", "identifier": institution.regon})
    return found


def _location(service: Service, institution) -> dict:
    address = service.address or ""
    postcode = _POSTCODE.search(address)
    location = {"id": _id("location", service.id), "location_type": "physical",
                "name": service.location_name or institution.short_name, "addresses": []}
    if address:
        location["addresses"].append({
            "id": _id("address", service.id), "location_id": location["id"], "address_1": address,
            "city": institution.teryt_unit.name, "state_province": institution.region.name,
            "postal_code": postcode.group(1) if postcode else "", "country": "PL", "address_type": "physical"})
    return location


def service(service: Service, institution, area_names: dict[str, str]) -> dict:
    """One service as an HSDS service object (with its organization)."""
    sid = str(service.id)
    location = _location(service, institution)
    phones = [{"id": _id("phone", sid), "number": service.phone, "type": "voice"}] if service.phone else []
    contacts = [{"id": _id("contact", sid), "service_id": sid, "name": service.contact_name,
                 "email": service.email, "phones": phones}] if (service.contact_name or service.email) else []
    documents = [line.strip() for line in (service.required_documents or "").splitlines() if line.strip()]
    return {
        "id": sid,
        "organization_id": _id("organization", institution.id),
        "name": service.name,
        "description": service.description,
        "email": service.email,
        "status": service.status.value,
        "application_process": service.application_process,
        "eligibility_description": service.eligibility_description,
        "minimum_age": service.minimum_age,
        "maximum_age": service.maximum_age,
        "assured_date": service.assured_date.isoformat() if service.assured_date else None,
        "wait_time": f"{service.waiting_days} dni" if service.waiting_days is not None else None,
        "organization": organization(institution),
        "phones": phones,
        "contacts": contacts,
        "schedules": ([{"id": _id("schedule", sid), "service_id": sid, "description": service.schedule}]
                      if service.schedule else []),
        "service_areas": [{"id": _id(f"area-{code}", sid), "service_id": sid,
                           "name": area_names.get(code, code), "extent_type": "teryt", "extent": code}
                          for code in service.area_codes] or [
            {"id": _id("area-region", sid), "service_id": sid, "name": institution.region.name,
             "extent_type": "teryt", "extent": institution.region_code}],
        "service_at_locations": [{"id": _id("service-at-location", sid), "service_id": sid,
                                  "location_id": location["id"], "location": location}],
        "required_documents": [{"id": _id(f"document-{n}", sid), "service_id": sid, "document": text}
                               for n, text in enumerate(documents)],
        "attributes": [{"id": _id("type", sid), "link_id": sid, "link_type": "service",
                        "link_entity": "service", "value": service.service_type.value,
                        "label": str(SERVICE_TYPE_LABELS[service.service_type])}],
        "regionet": {
            "service_type": service.service_type.value,
            "accepts_referrals": service.accepts_referrals,
            "referral_basis": service.referral_basis.value,
            "legal_reference": service.legal_reference,
            "referral_data_set": list(service.data_set),
            "accept_within_days": service.accept_within_days,
            "capacity": service.capacity,
            "teryt_area_codes": list(service.area_codes),
        },
    }


def services_page(rows, area_names: dict[str, str]) -> dict:
    """The HSDS `/services` page: every published service of the region in one page."""
    contents = [service(row_service, institution, area_names) for row_service, institution in rows]
    return {"hsds_version": HSDS_VERSION, "total_items": len(contents), "total_pages": 1, "page_number": 1,
            "size": len(contents), "first_page": True, "last_page": True, "empty": not contents,
            "contents": contents}
