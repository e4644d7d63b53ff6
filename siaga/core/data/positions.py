"""Positions (jabatan) and the operation's organisation (susunan organisasi).

Source: DOCTRINE.md section 9, "Command and staff (Kapolres, Wakapolres, Kabag Ops, Kasat,
Posko staff) run the operation and are not TPS guards", and the organisation it names:
Penanggung jawab (Kapolres), Wakil (Wakapolres), Kaops (Kabag Ops) and a Padal per kecamatan,
usually its Kapolsek. The sector commands (Kapolsek, Danramil) and the Kodim's command are
added for the same reason: they control their sector, they do not stand at one TPS.

A person's `position` is free text; a blank position is field strength. A position is
command or staff when, lower-cased with spaces removed, it starts with one of
`COMMAND_POSITIONS` ("Kasat Reskrim", "KAPOLSEK KRATON", "Staf Posko" all match).

The satgas (task forces) of the organisation are the ones DOCTRINE.md section 9 names for
Mantap Brata 2023-24 (keadilan.net; the TFG at Polres Subulussalam): Preemtif, Preventif (Pam
TPS under it), Kamseltibcarlantas, Gakkum, Humas, Banops. No source says which Kasat leads
which satgas: `SATGAS` is Siaga's default mapping, from what each Kasat commands in peacetime.
A position that names the satgas ("Kasatgas Gakkum") always wins over that default.
"""

from __future__ import annotations

from dataclasses import dataclass

from siaga.core.data.model import Force, Person, Scenario, UnitKind

# Lower case, without spaces; matched as prefixes of the position.
COMMAND_POSITIONS: tuple[str, ...] = (
    "kapolres",  # Penanggung jawab
    "wakapolres",  # Wakil
    "kabag",  # Kabag Ops (Kaops) and the Polres's other Kabag (staff)
    "kasat",  # Kasat Samapta, Reskrim, Intelkam, Lantas, ...; a Kasatgas too
    "kasi",  # Kasi Humas, Kasi Propam, Kasi Log ...: the Polres's section heads (staff)
    "kapolsek",  # Padal of the kecamatan
    "posko",  # Posko staff
    "stafposko",
    "dandim",
    "kasdim",
    "danramil",
)

# Roles in the organisation, in the order the annex lists them.
PENANGGUNG_JAWAB, WAKIL, KAOPS, PADAL, STAF = "PENANGGUNG_JAWAB", "WAKIL", "KAOPS", "PADAL", "STAF"
ROLE_LABEL = {
    PENANGGUNG_JAWAB: "Penanggung jawab",
    WAKIL: "Wakil penanggung jawab",
    KAOPS: "Kepala operasi (Kaops)",
    PADAL: "Padal (perwira pengendali)",
    STAF: "Staf",
}
ROLE_ORDER = (PENANGGUNG_JAWAB, WAKIL, KAOPS, PADAL, STAF)


def _key(position: str) -> str:
    return "".join(position.split()).casefold()


def is_command(position: str) -> bool:
    """Whether a position is command or staff: never put on a TPS, village or reserve post."""
    if not position:  # most people have none: the national roster asks this two million times
        return False
    key = _key(position)
    return bool(key) and key.startswith(COMMAND_POSITIONS)


@dataclass(frozen=True)
class Office:
    """One place in the organisation: the role, who holds it, and the kecamatan of a Padal."""

    role: str
    person: Person
    kecamatan_code: str = ""


def _role(position: str) -> str:
    key = _key(position)
    if key.startswith("kapolres"):
        return PENANGGUNG_JAWAB
    if key.startswith("wakapolres"):
        return WAKIL
    if key.startswith("kabagops"):
        return KAOPS
    if key.startswith("kapolsek"):
        return PADAL
    return STAF


def organisation(scenario: Scenario) -> tuple[Office, ...]:
    """The Polri command and staff of the scenario in role order, then source order. A
    Kapolsek is the Padal of his Polsek's kecamatan. TNI command (Dandim, Danramil) is not
    commanded by the Kapolres' Sprin and is left out; it is still kept off the posts."""
    units = scenario.unit_by_code()
    offices = []
    for p in scenario.personnel:
        if p.force not in (Force.POLRI, Force.BRIMOB) or not is_command(p.position):
            continue
        role = _role(p.position)
        unit = units.get(p.unit_code)
        kecamatan = unit.kecamatan_code if role == PADAL and unit and unit.kind == UnitKind.POLSEK else ""
        offices.append(Office(role, p, kecamatan))
    return tuple(sorted(offices, key=lambda o: ROLE_ORDER.index(o.role)))


def holder(scenario: Scenario, role: str, units: set[str] | None = None) -> Person | None:
    """The first person holding `role`, among the members of `units` when given."""
    for office in organisation(scenario):
        if office.role == role and (units is None or office.person.unit_code in units):
            return office.person
    return None


def padal_by_kecamatan(scenario: Scenario) -> dict[str, Person]:
    """The Padal of each kecamatan: its Kapolsek (the first one, when two are given)."""
    out: dict[str, Person] = {}
    for office in organisation(scenario):
        if office.role == PADAL and office.kecamatan_code:
            out.setdefault(office.kecamatan_code, office.person)
    return out


@dataclass(frozen=True)
class Satgas:
    """A satgas of the organisation and the positions that lead it by default, in order of
    preference (keys as in COMMAND_POSITIONS: lower case, no spaces, matched as prefixes)."""

    code: str
    name: str  # "Preventif": the annex writes "Kasatgas Preventif"
    default_positions: tuple[str, ...]
    note: str = ""  # what comes under it, for the annex


# Siaga's default mapping (no doctrine source: see the module docstring). Binmas speaks to the
# community before the day, Samapta patrols and guards, Lantas runs the roads, Reskrim
# investigates, the Kasi Humas speaks to the press, the Kabag Log equips the operation.
SATGAS: tuple[Satgas, ...] = (
    Satgas("PREEMTIF", "Preemtif", ("kasatbinmas", "kasatintelkam")),
    Satgas("PREVENTIF", "Preventif", ("kasatsamapta", "kasatsabhara"), "Pam TPS"),
    Satgas("KAMSELTIBCARLANTAS", "Kamseltibcarlantas", ("kasatlantas",)),
    Satgas("GAKKUM", "Gakkum", ("kasatreskrim",)),
    Satgas("HUMAS", "Humas", ("kasihumas", "kasubbaghumas")),
    Satgas("BANOPS", "Banops", ("kabaglog", "kasilog", "kasubbaglog")),
)


def kasatgas(scenario: Scenario, units: set[str] | None = None) -> tuple[tuple[Satgas, Person | None], ...]:
    """Each satgas with its Kasatgas, or None when nobody holds a position that leads it.

    A position naming the satgas ("Kasatgas Humas") comes first, then `Satgas.default_positions`
    in order. Only Polri command and staff are considered, among the members of `units` first
    when given; a person leads one satgas at most, and never while being Penanggung jawab,
    Wakil, Kaops or a Padal."""
    staff = [o.person for o in organisation(scenario) if o.role == STAF]
    if units is not None:
        staff = [p for p in staff if p.unit_code in units] + [p for p in staff if p.unit_code not in units]
    taken: set[str] = set()
    out = []
    for satgas in SATGAS:
        wanted = (f"kasatgas{_key(satgas.name)}", *satgas.default_positions)
        found = next(
            (p for prefix in wanted for p in staff if p.id not in taken and _key(p.position).startswith(prefix)),
            None,
        )
        if found is not None:
            taken.add(found.id)
        out.append((satgas, found))
    return tuple(out)


def holding(scenario: Scenario, position: str, units: set[str] | None = None) -> Person | None:
    """The person whose position is `position` (case and spaces ignored; an exact match before a
    prefix: "Wakapolres" finds "WAKAPOLRES" before "Wakapolres (Plh)"), among the members of
    `units` first when given; None when nobody holds it."""
    key = _key(position)
    if not key:
        return None
    people = [p for p in scenario.personnel if p.position and _key(p.position).startswith(key)]
    if units is not None:
        people = [p for p in people if p.unit_code in units] + [p for p in people if p.unit_code not in units]
    return next((p for p in people if _key(p.position) == key), people[0] if people else None)


def report(scenario: Scenario) -> list[dict[str, str]]:
    """The plan file's `organisation` key: every command and staff position of the scenario
    (TNI included), by role; empty when no person has one."""
    listed = {o.person.id: o for o in organisation(scenario)}
    out = []
    for p in scenario.personnel:
        if not is_command(p.position):
            continue
        office = listed.get(p.id)
        out.append(
            {
                "person": p.id,
                "position": p.position,
                "role": office.role if office else STAF,
                "kecamatan_code": office.kecamatan_code if office else "",
            }
        )
    return out
