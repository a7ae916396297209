"""The kinds of document in a bundle, each drafted to about a given number of words.

Each builder writes the fixed parts of its form first (so every identifier it is there to
carry appears even in a one-page bundle) and then narrative until the budget is used.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from casework.demo import ids, phrases
from casework.demo.marked import Block, Draft, marked, plain
from casework.demo.people import Cast, Person
from casework.demo.render import Renderer
from casework.domain.labels import Label

Builder = Callable[[Renderer, str, int, int], Draft]


def _fill(r: Renderer, draft: Draft, pool: Sequence[str], budget: int, size: int = 4) -> None:
    """Add paragraphs of sentences drawn from ``pool`` until the draft reaches ``budget`` words."""
    while draft.words() < budget:
        picks = r.rng.sample(pool, min(len(pool), r.rng.randint(2, size + 1)))
        draft.blocks.append(r.para(*picks))


def _pick(r: Renderer, people: Sequence[Person], index: int) -> Person:
    return people[index % len(people)]


def statement(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """An MG11 witness statement: the victim's, a witness's or an officer's."""
    cast = r.cast
    pool: Sequence[str]
    if index == 0:
        me, pool = cast.victim, phrases.VICTIM
    elif index % 3 == 2:
        me, pool = _pick(r, cast.officers, index), phrases.OFFICER
    else:
        me, pool = _pick(r, cast.witnesses, index), phrases.WITNESS
    r.bind(
        me=me,
        w=_pick(r, cast.witnesses, index + 1),
        o=_pick(r, cast.officers, index + 1),
        d=cast.professionals[index % 2],
    )
    draft = Draft(stem, "statement")
    adult = me.age >= 18
    draft.blocks += [
        Block("title", [plain("RESTRICTED (when complete)    MG11")]),
        Block("title", [plain("WITNESS STATEMENT")]),
        r.line(
            "Criminal Procedure Rules, r. 16.2; Criminal Justice Act 1967, s. 9; "
            "Magistrates' Courts Act 1980, s. 5B"
        ),
        r.line("Statement of: {me.fullest}"),
        Block(
            "field",
            [
                plain("Age if under 18: "),
                plain("Over 18") if adult else marked(str(me.age), Label.AGE),
                plain("    (if over 18 insert 'over 18')"),
            ],
        ),
        r.line(
            "Occupation: {me.job}"
            if me.role.value != "officer"
            else "Occupation: {me.rank} {me.SUR}"
        ),
        r.line(
            "This statement (consisting of {n} pages each signed by me) is true to the best "
            "of my knowledge and belief and I make it knowing that, if it is tendered in "
            "evidence, I shall be liable to prosecution if I have wilfully stated in it "
            "anything which I know to be false, or do not believe to be true.",
            "para",
        ),
        r.line("Signature: {me.initial}    Date: {day}"),
    ]
    if me.role.value == "officer":
        draft.blocks.append(
            r.para("I am {me.rankfull}, collar number " + me.collar + ", of {force}.")
        )
    else:
        draft.blocks.append(
            r.para(
                "I am {me.age} years old and I live at {me.addr} with my family.",
                "My date of birth is {me.dob}.",
            )
        )
    _fill(r, draft, pool, budget - 120)
    draft.blocks += [
        r.line("Signature: {me.initial}    Signature witnessed by: {o.rank}"),
        Block("heading", [plain("Witness contact details")]),
        r.line("Home address: {me.addr}"),
        r.line("Home telephone: {me.tel}    Mobile: {me.mob}"),
        r.line("Email address: {me.email}"),
        r.line("Date of birth: {me.dob}    Place of work: {me.employer}"),
        r.line("Statement taken by: {o.rankfull}    Station: {hometown}"),
    ]
    return draft


def case_summary(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """An MG5 case summary for the prosecutor."""
    cast = r.cast
    r.bind(w=_pick(r, cast.witnesses, index), o=cast.officers[0], d=cast.professionals[0])
    draft = Draft(stem, "case-summary")
    draft.blocks += [
        Block("title", [plain("OFFICIAL-SENSITIVE    MG5 CASE SUMMARY")]),
        r.line("URN: 13YD" + ids.digits(r.rng, 7) + "    Force: {force}"),
        r.line("Defendant: {s.inv}    Date of birth: {s.dob}    Age: {s.age}"),
        r.line("PNC ID: {s.pnc}    CRO: {s.cro}    NI number: {s.ni}"),
        r.line("Passport: {s.passport}    Driving licence: {s.licence}"),
        r.line("Address: {s.addr}"),
        r.line("Victim: {v.full}    Date of birth: {v.dob}"),
        r.line("Officer in the case: {o.rankfull}    Telephone: {o.tel}"),
        Block("heading", [plain("Summary of key evidence")]),
    ]
    _fill(r, draft, phrases.SUMMARY, budget - 80)
    draft.blocks.append(Block("heading", [plain("Witnesses")]))
    for w in cast.witnesses[:4]:
        draft.blocks.append(Block("field", [*r.person(w, "inv"), plain(", "), r.address(w)]))
    return draft


def call_transcript(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """A transcript of a 999 call from the victim or a neighbour."""
    cast = r.cast
    caller = cast.victim if index % 2 == 0 else _pick(r, cast.witnesses, index)
    handler = cast.professionals[5]
    r.bind(me=caller, d=handler, w=_pick(r, cast.witnesses, index + 1))
    draft = Draft(stem, "999-call")
    draft.blocks += [
        Block("title", [plain("999 CALL TRANSCRIPT")]),
        r.line("Incident: " + ids.digits(r.rng, 4) + " of {day}    Call received: {time}"),
        r.line("Caller line identity: {me.mob}"),
        r.line("Call handler: {d.plain} ({force})"),
        r.line("OPERATOR: Emergency, which service?", "speech"),
        r.line("CALLER: Police. Please, someone's here and won't leave.", "speech"),
        r.line("HANDLER: What's the address?", "speech"),
        r.line("CALLER: {v.addr}.", "speech"),
        r.line("HANDLER: And what's your name?", "speech"),
        r.line("CALLER: {me.plain}. I'm {me.age}.", "speech"),
        r.line("HANDLER: Who is with you?", "speech"),
        r.line("CALLER: It's {s.plain}. {s.He} pushed {v.first} into the door.", "speech"),
    ]
    turns = (
        "HANDLER: Is {s.first} still there now?",
        "CALLER: No, {s.first} drove off in the car, it's {s.vrm}.",
        "HANDLER: Which way did {s.first} go?",
        "CALLER: Towards {street}, maybe {pub}.",
        "HANDLER: Is anyone hurt?",
        "CALLER: {v.first}'s arm, it's bleeding a bit. {w.first} from next door is here.",
        "HANDLER: Stay on the line, officers are on the way.",
        "CALLER: Okay. Please hurry.",
        "HANDLER: Does {s.first} have any weapons?",
        "CALLER: I don't know. {s.He}'s got a knife at home in {town}.",
        "HANDLER: What number are you calling from?",
        "CALLER: It's {me.mob}.",
    )
    while draft.words() < budget:
        start = r.rng.randrange(0, len(turns), 2)
        draft.blocks.append(r.line(turns[start], "speech"))
        draft.blocks.append(r.line(turns[start + 1], "speech"))
    return draft


def messages(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """A download of WhatsApp or SMS messages between the suspect and the victim."""
    cast = r.cast
    other = cast.victim if index % 2 == 0 else _pick(r, cast.witnesses, index)
    r.bind(me=other, w=_pick(r, cast.witnesses, index + 1), o=cast.officers[0])
    whatsapp = index % 2 == 0
    draft = Draft(stem, "messages")
    draft.blocks += [
        Block("title", [plain("PHONE DOWNLOAD: MESSAGE EXTRACT")]),
        r.line("Handset: exhibit of {me.full}    Number: {me.mob}"),
        r.line('Other party: {s.mob} (saved as "{s.lower}")'),
    ]
    while draft.words() < budget:
        sender = r.rng.choice(("s", "me"))
        text = r.rng.choice(phrases.MESSAGES)
        if sender == "me":
            text = text.replace("{me.", "{s.")
        stamp = r.day().split(" ", 1)[1]
        if whatsapp:
            head = "[" + stamp + ", {time}] {" + sender + ".lower}: "
        else:
            head = (
                stamp + " {time} " + ("From: {s.mob}" if sender == "s" else "To: {s.mob}") + " - "
            )
        draft.blocks.append(r.line(head + text, "message"))
    return draft


def emails(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """A printed e-mail thread with full headers."""
    cast = r.cast
    draft = Draft(stem, "emails")
    draft.blocks.append(Block("title", [plain("EMAIL PRINTOUT")]))
    n = 0
    while draft.words() < budget or n == 0:
        sender = cast.officers[(index + n) % len(cast.officers)] if n % 2 else cast.victim
        to = cast.professionals[(index + n) % 5]
        r.bind(me=sender, d=to, w=_pick(r, cast.witnesses, index + n))
        draft.blocks += [
            r.line("From: {me.plain} <{me.email}>"),
            r.line("To: {d.plain} <{d.email}>"),
            r.line("Date: {day} {time}"),
            r.line(
                "Subject: Re: " + r.rng.choice(("safeguarding", "statement", "meeting", "update"))
            ),
            r.line("X-Originating-IP: [{ip}]"),
            r.line("Received: from mail.example.com ([{ip6}]) by mx.example.org"),
            r.line("Dear {d.tsur},", "para"),
        ]
        _fill(r, draft, phrases.EMAIL, draft.words() + r.rng.randint(80, 200), 3)
        draft.blocks.append(r.line("Kind regards, {me.plain}", "para"))
        n += 1
    return draft


def custody_record(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """A custody record: the suspect's first, then others arrested during the inquiry."""
    cast, rng = r.cast, r.rng
    held = cast.suspect if index == 0 else _pick(r, cast.witnesses, index * 5)
    r.bind(
        me=held,
        o=_pick(r, cast.officers, index + 1),
        d=cast.professionals[2],
        w=_pick(r, cast.witnesses, index * 5 + 1),
    )
    draft = Draft(stem, "custody-record")
    draft.blocks += [
        Block("title", [plain("CUSTODY RECORD")]),
        r.line(
            f"Custody number: {rng.choice('ABCDEFGH')}{rng.choice('ABCDEFGH')}/"
            f"{ids.digits(rng, 5)}/{cast.incident.year % 100:02d}    Station: {{hometown}}"
        ),
        r.line("Detained person: {me.inv}    Date of birth: {me.dob}    Age: {me.age}"),
        r.line("Address: {me.addr}"),
        r.line("PNC ID: {me.pnc}    CRO number: {me.cro}"),
        r.line("National Insurance number: {me.ni}"),
        r.line("Identification produced: passport {me.passport}; driving licence {me.licence}"),
        r.line("Nationality: " + held.nationality + "    Telephone: {me.mob}"),
        r.line("Arresting officer: {o.rankfull}    Custody officer: {o.rank}"),
        r.line("Arrived: {time}    Detention authorised: {time}    Relevant time: {time}"),
        r.line("Person to be informed: {w.full}, {w.addr}"),
        Block("heading", [plain("Detention log")]),
    ]
    while draft.words() < budget:
        r.bind(o=rng.choice(cast.officers))
        draft.blocks.append(r.line(rng.choice(phrases.CUSTODY_LOG), "log"))
    return draft


def bank_statement(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """An excerpt of the victim's bank statement produced by the bank."""
    cast, rng = r.cast, r.rng
    holder = cast.victim if index % 2 == 0 else cast.suspect
    r.bind(me=holder)
    sort, account = ids.sort_code(rng), ids.account_number(rng)
    draft = Draft(stem, "bank-statement")
    draft.blocks += [
        Block("title", [plain("STATEMENT OF ACCOUNT (EXCERPT)")]),
        r.line("{bank}"),
        r.line("Account holder: {me.formal}"),
        r.line("Address: {me.addr}"),
        Block(
            "field",
            [
                plain("Sort code: "),
                marked(sort, Label.BANK),
                plain("    Account number: "),
                marked(account, Label.BANK),
            ],
        ),
        Block("field", [plain("IBAN: "), marked(ids.iban(rng, sort, account), Label.IBAN)]),
        Block("field", [plain("Debit card: "), marked(ids.card_number(rng), Label.CARD)]),
    ]
    other = cast.suspect if holder is cast.victim else cast.victim
    while draft.words() < budget:
        stamp = r.day().split(" ", 1)[1]
        kind = rng.random()
        if kind < 0.3:
            amount = f"{rng.randint(20, 400)}.00"
            tail = plain(f"  ref {ids.digits(rng, 6)}  {amount}")
            segs = [plain(f"{stamp}  FASTER PAYMENT TO "), *r.person(other, "initial"), tail]
            draft.blocks.append(Block("row", segs))
        elif kind < 0.4:
            draft.blocks.append(
                Block("row", [plain(f"{stamp}  CARD PAYMENT REFUND  {ids.digits(rng, 2)}.00")])
            )
        else:
            where = rng.choice(
                (
                    "TESCO STORES",
                    "CO-OP FOOD",
                    "GREGGS",
                    "SHELL",
                    "AMAZON MKTPLACE",
                    "TFL TRAVEL",
                    "DELIVEROO",
                    "BOOTS",
                )
            )
            draft.blocks.append(
                Block(
                    "row",
                    [
                        plain(
                            f"{stamp}  CARD PAYMENT {where}  "
                            f"{rng.randint(1, 95)}.{ids.digits(rng, 2)}"
                        )
                    ],
                )
            )
    return draft


def vehicle_check(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """A PNC and DVLA vehicle check on a vehicle seen near the scene."""
    cast, rng = r.cast, r.rng
    keeper = cast.suspect if index == 0 else _pick(r, cast.witnesses, index)
    r.bind(me=keeper, o=_pick(r, cast.officers, index))
    draft = Draft(stem, "vehicle-check")
    older = ids.registration_mark(rng, year=rng.randint(1975, 2000))
    oldest = ids.registration_mark(rng, year=rng.randint(1964, 1982))
    draft.blocks += [
        Block("title", [plain("VEHICLE CHECK: PNC / DVLA")]),
        r.line("Requested by: {o.rankfull}    At: {time} on {day}"),
        r.line("Current registration mark: {me.vrm}"),
        Block(
            "field",
            [
                plain("Previous marks: "),
                marked(older, Label.VEHICLE_REG),
                plain(", "),
                marked(oldest, Label.VEHICLE_REG),
                plain(" (cherished transfer)"),
            ],
        ),
        r.line(
            "Make/model: "
            + rng.choice(
                (
                    "FORD FOCUS",
                    "VAUXHALL CORSA",
                    "BMW 320D",
                    "TOYOTA YARIS",
                    "NISSAN QASHQAI",
                    "VW GOLF",
                )
            )
            + "    Colour: GREY"
        ),
        r.line("Registered keeper: {me.inv}    Date of birth: {me.dob}"),
        r.line("Keeper address: {me.addr}"),
        r.line("Driving licence: {me.licence}    Status: valid, 3 points"),
        r.line("Insurance: insured    MOT: valid    Tax: taxed"),
        r.line("Markers: none. Vehicle recorded by ANPR on {street}, {town} at {time}.", "para"),
    ]
    _fill(r, draft, phrases.OFFICER, budget, 3)
    return draft


def medical_note(r: Renderer, stem: str, budget: int, index: int) -> Draft:
    """An emergency department note about the victim's injuries."""
    cast = r.cast
    r.bind(me=cast.victim, d=cast.professionals[0])
    draft = Draft(stem, "medical-note")
    draft.blocks += [
        Block("title", [plain("EMERGENCY DEPARTMENT ATTENDANCE NOTE")]),
        r.line("{hospital}"),
        r.line("Patient: {me.inv}    DOB: {me.dob}    Age: {me.age}"),
        r.line("NHS number: {me.nhs}"),
        r.line("Address: {me.addr}    Tel: {me.mob}"),
        r.line("Registered GP: {gp}"),
        r.line("Seen by: Dr {d.plain}, {d.job}    Time: {time}"),
        r.para(
            "Patient attended with a friend, {w.first}, reporting assault by ex-partner at home.",
            "Swelling and tenderness to the left wrist; 2 cm laceration above the right eye.",
            "X-ray: no fracture. Wound closed with adhesive strips.",
        ),
    ]
    pool = (
        "Patient states {s.first} has done this before.",
        "Safeguarding referral made to {d.employer}.",
        "Patient tearful but coherent; no head injury.",
        "Advised to see GP at {gp} in one week.",
        "Discussed with {d.formal}; routine enquiry about domestic abuse completed.",
        "Patient aged {me.age}; not pregnant; no allergies.",
        "Information shared with {force} with patient's consent.",
    )
    _fill(r, draft, pool, budget, 3)
    return draft


BUILDERS: dict[str, Builder] = {
    "statement": statement,
    "case-summary": case_summary,
    "999-call": call_transcript,
    "messages": messages,
    "emails": emails,
    "custody-record": custody_record,
    "bank-statement": bank_statement,
    "vehicle-check": vehicle_check,
    "medical-note": medical_note,
}
"""Every kind of document, by the name used in file names."""

CORE: tuple[tuple[str, float, int, int], ...] = (
    # kind, share of the bundle, least and most pages
    ("statement", 0.10, 1, 10),
    ("case-summary", 0.06, 1, 6),
    ("999-call", 0.03, 1, 3),
    ("messages", 0.06, 1, 15),
    ("emails", 0.04, 1, 8),
    ("custody-record", 0.05, 1, 8),
    ("bank-statement", 0.03, 1, 6),
    ("vehicle-check", 0.02, 1, 2),
    ("medical-note", 0.02, 1, 3),
    ("statement", 0.05, 1, 6),
)
"""One of each kind, so that even a small bundle carries every label."""

EXTRA: tuple[tuple[str, float, int, int], ...] = (
    ("statement", 0.45, 1, 6),
    ("messages", 0.15, 1, 8),
    ("emails", 0.12, 1, 4),
    ("999-call", 0.06, 1, 2),
    ("bank-statement", 0.06, 1, 4),
    ("vehicle-check", 0.06, 1, 1),
    ("medical-note", 0.05, 1, 2),
    ("case-summary", 0.03, 1, 3),
    ("custody-record", 0.04, 1, 3),
)
"""What pads a bundle out to its size, with weights."""

__all__ = ["BUILDERS", "CORE", "EXTRA", "Builder", "Cast"]
