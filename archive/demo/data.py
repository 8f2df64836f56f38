"""The demo collection's content: its logins, people, answers, scenes and exhibitions."""

from archive.auth.models import Role
from archive.exhibitions.models import Visibility

DEMO_USERS = [
    ("admin@example.org", "Ada Admin", Role.ADMIN),
    ("curator@example.org", "Cora Curator", Role.CURATOR),
    ("comms@example.org", "Colm Comms", Role.COMMS),
    ("technician@example.org", "Tomasz Technician", Role.CONTRIBUTOR),
    ("apprentice@example.org", "Amara Apprentice", Role.CONTRIBUTOR),
]

# name, job role, department
DEMO_PEOPLE = [
    ("Priya Raman", "Laboratory technician", "Chemistry"),
    ("Joseph Okafor", "Workshop technician", "Engineering"),
    ("Mei Lin", "Research technician", "Biosciences"),
    ("Sarah Thompson", "Glassblower", "Chemistry"),
    ("Daniel Evans", "Apprentice", "Physics"),
    ("Fatima Haddad", "Imaging specialist", "Medicine"),
    ("Tom Gallagher", "Engineering technician", "Engineering"),
    ("Aisha Bello", "Teaching technician", "Biosciences"),
    ("Rhys Morgan", "IT technician", "Computer science"),
    ("Grace Adeyemi", "Technical manager", "Earth sciences"),
    ("Lukas Weber", "Workshop technician", "Physics"),
    ("Hannah Clarke", "Laboratory technician", "Psychology"),
    ("Kwame Mensah", "Research technician", "Medicine"),
    ("Olivia Nowak", "Apprentice", "Engineering"),
    ("Samuel Reid", "Teaching technician", "Fine art"),
    ("Yusuf Ali", "Engineering technician", "Music"),
    ("Chloe Martin", "Imaging specialist", "Biosciences"),
    ("Ewan Fraser", "Laboratory technician", "Earth sciences"),
    ("Nadia Petrova", "Research technician", "Chemistry"),
    ("Ben Carter", "Apprentice", "Chemistry"),
]

# Self-identified answers (gender, ethnicity, disability); None: not answered.
_PNTS = "Prefer not to say"
DEMO_EDI = {
    "Priya Raman": ("Woman", "Asian or Asian British", "Not disabled"),
    "Joseph Okafor": ("Man", "Black, Black British, Caribbean or African", "Not disabled"),
    "Mei Lin": ("Woman", "Asian or Asian British", None),
    "Sarah Thompson": ("Woman", "White", "Disabled"),
    "Daniel Evans": ("Man", "White", "Not disabled"),
    "Fatima Haddad": ("Woman", "Another ethnic group", "Not disabled"),
    "Tom Gallagher": ("Man", "White", _PNTS),
    "Aisha Bello": ("Woman", "Black, Black British, Caribbean or African", "Not disabled"),
    "Rhys Morgan": (_PNTS, _PNTS, _PNTS),
    "Grace Adeyemi": ("Woman", "Black, Black British, Caribbean or African", "Disabled"),
    "Lukas Weber": ("Man", "White", "Not disabled"),
    "Hannah Clarke": ("Woman", "White", "Not disabled"),
    "Kwame Mensah": ("Man", "Black, Black British, Caribbean or African", None),
    "Olivia Nowak": ("Woman", "White", "Not disabled"),
    "Samuel Reid": ("Non-binary", "Mixed or multiple ethnic groups", "Disabled"),
    "Chloe Martin": ("Woman", "White", "Not disabled"),
    "Nadia Petrova": ("Woman", "White", _PNTS),
    "Ben Carter": ("Man", "Mixed or multiple ethnic groups", "Not disabled"),
}

# language (BCP 47), title, caption, alt text; "{name}" is the first person shown. Some
# technicians write in their own language: partners' viewers show each text as written.
DEMO_SCENES = [
    (
        "en",
        "Calibrating the mass spectrometer",
        "{name} calibrates the department's mass spectrometer before a week of student experiments.",
        "A technician adjusts settings on a large grey instrument beside a computer screen.",
    ),
    (
        "en",
        "Apprentice welding",
        "{name} practises TIG welding in the engineering workshop during the second year of an apprenticeship.",
        "A person in a welding helmet works at a bench, a bright arc between torch and metal.",
    ),
    (
        "en",
        "Inside the cleanroom",
        "{name} in full cleanroom suit, checking wafers under yellow light.",
        "A figure in a white suit and mask holds a tray under yellow lighting.",
    ),
    (
        "en",
        "Glassblowing for the chemistry labs",
        "{name} shapes a custom condenser at the lathe; most of the department's glassware is made here.",
        "Hands turn glowing glass over a flame on a glass lathe.",
    ),
    (
        "en",
        "Preparing the teaching lab",
        "{name} sets out equipment for 120 first-year students before the morning practical.",
        "Rows of lab benches with identical sets of glassware, a technician walking between them.",
    ),
    (
        "en",
        "Microscope maintenance",
        "{name} replaces a lamp in one of the confocal microscopes.",
        "A technician leans over a microscope with its cover removed.",
    ),
    (
        "en",
        "3D printing a prototype",
        "{name} checks a prototype part as it comes off the printer.",
        "A person examines a small white plastic part beside a 3D printer.",
    ),
    (
        "en",
        "Field kit check",
        "{name} checks sensors before a field trip to the coast.",
        "Cases of instruments and cables laid out on a workshop floor.",
    ),
    (
        "en",
        "Server room rounds",
        "{name} replaces a failed disk in the research computing cluster.",
        "A technician slides a drive into a rack of servers with blinking lights.",
    ),
    (
        "en",
        "Making a harpsichord jack",
        "{name} repairs the keyboard instruments used by the music department.",
        "Close view of hands fitting a small wooden part into an instrument.",
    ),
    (
        "en",
        "Cryostat fill",
        "{name} fills a cryostat with liquid nitrogen, vapour rolling over the bench.",
        "White vapour pours from a metal flask as a technician in gloves and visor pours.",
    ),
    (
        "en",
        "Lathe work",
        "{name} turns a brass fitting for a physics experiment.",
        "A metal lathe with shavings curling from a spinning brass rod.",
    ),
    (
        "en",
        "Sample archive",
        "{name} logs samples into the minus-eighty freezers.",
        "A technician in a lab coat holds a rack of vials in front of an open freezer.",
    ),
    (
        "en",
        "Printmaking studio",
        "{name} prepares the etching press for a fine art workshop.",
        "A large etching press with inked plates on a table beside it.",
    ),
    (
        "en",
        "Teaching the next apprentice",
        "{name} shows a new apprentice how to read a technical drawing.",
        "Two people bend over a technical drawing spread on a workbench.",
    ),
    (
        "fr",
        "Réparation du spectromètre",
        "{name} répare le spectromètre de masse avant la semaine de travaux pratiques.",
        "Une technicienne règle un grand appareil gris à côté d'un écran d'ordinateur.",
    ),
    (
        "fr",
        "Soufflage du verre à l'atelier",
        "{name} façonne un réfrigérant sur mesure ; presque toute la verrerie du département naît ici.",
        "Des mains font tourner du verre incandescent au-dessus d'une flamme.",
    ),
    (
        "pl",
        "Spawanie w warsztacie",
        "{name} ćwiczy spawanie TIG w warsztacie mechanicznym na drugim roku praktyk.",
        "Osoba w masce spawalniczej pracuje przy stole, między palnikiem a metalem jasny łuk.",
    ),
    (
        "pl",
        "Przegląd mikroskopu",
        "{name} wymienia lampę w jednym z mikroskopów konfokalnych.",
        "Technik pochyla się nad mikroskopem ze zdjętą obudową.",
    ),
    (
        "ar",
        "تحضير مختبر التدريس",
        "{name} يجهّز المعدات لمئة وعشرين طالبًا في السنة الأولى قبل الحصة الصباحية.",
        "صفوف من طاولات المختبر عليها أدوات زجاجية متماثلة، وفنيّ يمشي بينها.",
    ),
    (
        "ar",
        "صيانة المجهر",
        "{name} تستبدل مصباح أحد المجاهر متحدة البؤر.",
        "فنية تنحني فوق مجهر نُزع غطاؤه.",
    ),
]

EQUIPMENT_SCENES = [
    (
        "en",
        "The electron microscope suite",
        "The department's scanning electron microscope, ready for the day's bookings.",
        "A large instrument with a control desk and two monitors in a dim room.",
    ),
    (
        "en",
        "Workshop tool wall",
        "Every tool has its outline: the engineering workshop's tool wall.",
        "A wall of hand tools hung on pegboard, each above a painted outline.",
    ),
    (
        "en",
        "Rack of pipettes",
        "Calibrated pipettes waiting for the teaching labs.",
        "A rack of coloured pipettes on a white bench.",
    ),
]

LICENCE_MIX = ["INST-USE", "INST-USE", "INST-USE", "CC-BY-4.0", "CC-BY-NC-4.0", "ARR"]
CAMERAS = [
    ("Apple", "iPhone 14"),
    ("Google", "Pixel 8"),
    ("Canon", "EOS R6"),
    ("Nikon", "Z 6II"),
]
SIZES = [
    (2400, 1600),
    (1600, 2400),
    (3000, 2000),
    (2048, 1536),
    (1800, 1800),
    (1200, 900),
]
CAMPUS = (52.9387, -1.1955)

# Each exhibition's introduction, in its language.
DEMO_INTRODUCTIONS = {
    "en": "Every photograph here is shown with the consent of the people in it. "
    "The captions were written by the technicians who took them.",
    "fr": "Chaque photographie est montrée avec le consentement des personnes qui y figurent. "
    "Les légendes ont été écrites par les techniciens qui les ont prises.",
    "pl": "Każde zdjęcie pokazujemy za zgodą osób, które na nim widać. "
    "Podpisy napisali technicy, którzy je zrobili.",
    "ar": "تُعرض كل صورة هنا بموافقة الأشخاص الظاهرين فيها. "
    "كتب التعليقات الفنيّون الذين التقطوا الصور.",
}

# language, title, slug ("" to make one from the title), summary, smart rule, visibility
DEMO_EXHIBITIONS = [
    (
        "en",
        "Women in technical roles",
        "",
        "Women technicians across the university, at the bench, in the workshop and the lab.",
        "gender:woman",
        Visibility.PUBLIC,
    ),
    (
        "en",
        "Apprentices at work",
        "",
        "The next generation of technicians.",
        "role:apprentice",
        Visibility.PUBLIC,
    ),
    (
        "en",
        "Behind the research",
        "",
        "The work that makes research possible.",
        "year:[2019 TO 2026]",
        Visibility.INTERNAL,
    ),
    (
        "fr",
        "Les ateliers de l'université",
        "ateliers",
        "Techniciennes et techniciens des ateliers d'ingénierie et de physique.",
        "department:engineering OR department:physics",
        Visibility.PUBLIC,
    ),
    (
        "pl",
        "Laboratoria od kuchni",
        "laboratoria",
        "Praca techników, dzięki której działają laboratoria chemii i biologii.",
        "department:chemistry OR department:biosciences",
        Visibility.UNLISTED,
    ),
    (
        "ar",
        "فنيّون في العمل",
        "fanniyun",
        "فنيّو الجامعة في المختبرات والورش.",
        'role:"research technician" OR role:"laboratory technician"',
        Visibility.PUBLIC,
    ),
]
