"""A JSON Schema of the Open Referral HSDS 3.x objects the catalogue exports, written from the
specification (openreferral/specification, schema/*.json): the required fields and the types and
enumerations of the fields we fill. Additional properties are allowed, as in HSDS (our `regionet`
extension object). The HSDS `/services` answer is a page whose `contents` are services."""

_STRING_OR_NULL = {"type": ["string", "null"]}
_NUMBER_OR_NULL = {"type": ["number", "null"]}
_UUID = {"type": "string", "format": "uuid",
         "pattern": "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"}

PHONE = {"type": "object", "required": ["id", "number"],
         "properties": {"id": _UUID, "number": {"type": "string"}, "type": _STRING_OR_NULL}}
ADDRESS = {"type": "object",
           "required": ["id", "address_1", "city", "state_province", "postal_code", "country", "address_type"],
           "properties": {"id": _UUID, "location_id": _UUID, "address_1": {"type": "string"},
                          "city": {"type": "string"}, "state_province": {"type": "string"},
                          "postal_code": {"type": "string"}, "country": {"type": "string", "pattern": "^[A-Z]{2}$"},
                          "address_type": {"enum": ["physical", "postal", "virtual"]}}}
LOCATION = {"type": "object", "required": ["id", "location_type"],
            "properties": {"id": _UUID, "location_type": {"enum": ["physical", "postal", "virtual"]},
                           "name": _STRING_OR_NULL, "addresses": {"type": "array", "items": ADDRESS}}}
ORGANIZATION = {"type": "object", "required": ["id", "name", "description"],
                "properties": {"id": _UUID, "name": {"type": "string"}, "alternate_name": _STRING_OR_NULL,
                               "description": {"type": "string"},
                               "identifiers": {"type": "array", "items": {
                                   "type": "object", "required": ["id", "identifier_type", "identifier"],
                                   "properties": {"id": _UUID, "identifier_type": {"type": "string"},
                                                  "identifier": {"type": "string"}}}}}}
SERVICE = {
    "type": "object",
    "required": ["id", "name", "status"],
    "properties": {
        "id": _UUID, "organization_id": _UUID, "name": {"type": "string"}, "description": _STRING_OR_NULL,
        "email": _STRING_OR_NULL,
        "status": {"enum": ["active", "inactive", "defunct", "temporarily closed"]},
        "application_process": _STRING_OR_NULL, "eligibility_description": _STRING_OR_NULL,
        "minimum_age": _NUMBER_OR_NULL, "maximum_age": _NUMBER_OR_NULL,
        "assured_date": {"type": ["string", "null"], "pattern": r"^\d{4}-\d{2}-\d{2}$"},
        "wait_time": _STRING_OR_NULL,
        "organization": ORGANIZATION,
        "phones": {"type": "array", "items": PHONE},
        "contacts": {"type": "array", "items": {
            "type": "object", "required": ["id"],
            "properties": {"id": _UUID, "name": _STRING_OR_NULL, "email": _STRING_OR_NULL,
                           "phones": {"type": "array", "items": PHONE}}}},
        "schedules": {"type": "array", "items": {
            "type": "object", "required": ["id"], "properties": {"id": _UUID, "description": _STRING_OR_NULL}}},
        "service_areas": {"type": "array", "items": {
            "type": "object", "required": ["id"],
            "properties": {"id": _UUID, "name": _STRING_OR_NULL, "extent": _STRING_OR_NULL,
                           "extent_type": _STRING_OR_NULL}}},
        "service_at_locations": {"type": "array", "items": {
            "type": "object", "required": ["id"], "properties": {"id": _UUID, "location": LOCATION}}},
        "required_documents": {"type": "array", "items": {
            "type": "object", "required": ["id"], "properties": {"id": _UUID, "document": _STRING_OR_NULL}}},
        "attributes": {"type": "array", "items": {
            "type": "object", "required": ["id", "link_id", "link_type"],
            "properties": {"id": _UUID, "link_id": {"type": "string"}, "link_type": {"type": "string"}}}},
    },
}
SERVICES_PAGE = {
    "type": "object",
    "required": ["total_items", "total_pages", "page_number", "size", "first_page", "last_page", "empty", "contents"],
    "properties": {"total_items": {"type": "integer"}, "total_pages": {"type": "integer"},
                   "page_number": {"type": "integer"}, "size": {"type": "integer"},
                   "first_page": {"type": "boolean"}, "last_page": {"type": "boolean"},
                   "empty": {"type": "boolean"}, "contents": {"type": "array", "items": SERVICE}},
}
