"""The field's writes and reads: apel check-ins, readiness, post statuses, the TPS timeline,
incidents as the Posko works them (`incidents`, `posko`, `authority`, `units`, `areas`,
`seized`), escorts and the chain of custody (`custody`).

Every write takes the client's idempotency key and goes through `once`: inside one
transaction it stores the row (and its audit entry) unless a row with that key exists, in
which case that row is returned unchanged; a concurrent retry that loses the race on the
UNIQUE key reads the winner's row. A key belongs to the user who first used it.

Who writes: planner, admin and sector chief write (`WRITERS`); a sector chief only for posts,
people and incidents of their kecamatan (another kecamatan's object is a 404). A field officer
(post leader) sets their own post's status, records its TPS events and reports incidents at it
(`FIELD_WRITERS`); they see only the post(s) their NRP/NIK (`Profile.person_code`) is assigned to
in the plan, any other post, TPS or incident is a 404. Commander and viewer read these; on
election day the commander commands the incidents (`authority` says who acts on them).
"""

# The field by capability; this package re-exports each module's public names.
from siaga.field.services.apel import (  # noqa: F401
    Apel,
    absentees,
    apel_of,
    apels,
    card_note,
    check_in,
    check_in_unit,
    readiness,
    replan_absentees,
    undo_check_in,
)
from siaga.field.services.areas import area_history, area_statuses, set_area  # noqa: F401
from siaga.field.services.authority import Refused, delegate  # noqa: F401
from siaga.field.services.common import (  # noqa: F401
    FIELD_WRITERS,
    WRITERS,
    FieldError,
    KeyConflict,
    NoCurrentPlan,
    NotVisible,
    assigned_posts,
    card_key,
    change_stamp,
    current,
    once,
    own_posts,
    post_of,
    posts_of,
    require_field_writer,
    require_writer,
    visible_people,
    visible_posts,
)
from siaga.field.services.custody import (  # noqa: F401
    escort_event,
    escort_rows,
    guard_rows,
    log_entry,
    mark_legs,
    record_handover,
    set_manifest,
)
from siaga.field.services.day import (  # noqa: F401
    assignment,
    day_board,
    dropped_posts,
    incident_rows,
    live_figures,
    report_data,
    timetable,
    visible_incidents,
)
from siaga.field.services.equipment import sarpras, set_equipment  # noqa: F401
from siaga.field.services.incidents import (  # noqa: F401
    Busy,
    act_on,
    advance,
    close,
    dispatch,
    dispatch_for,
    escalate,
    incident_for,
    own_tps,
    refer,
    report_incident,
    reserves,
    tps_event,
)
from siaga.field.services.movement import board, latest_statuses, set_post_status  # noqa: F401
from siaga.field.services.person import PersonPage, person_of, person_page, why_no_duty  # noqa: F401
from siaga.field.services.phone import phone_reads  # noqa: F401
from siaga.field.services.photos import (  # noqa: F401
    PHOTO_MAX_BYTES,
    PHOTO_TYPES,
    attach_photo,
    incidents_geojson,
    open_incident_counts,
    photo_kind,
    photo_of,
)
from siaga.field.services.posko import incident_cards, latest_severe, reporter_status  # noqa: F401
from siaga.field.services.seized import hand_over, seize  # noqa: F401
