"""Word lists for names, subjects and comments. Data, not logic: edit freely (the seed picks by index)."""

COMPANY_FIRST = (
    "Acme", "Northwind", "Blue", "Bright", "Cedar", "Delta", "Ember", "Falcon", "Granite", "Harbor", "Iron",
    "Juniper", "Keystone", "Lumen", "Maple", "Nimbus", "Orbit", "Pioneer", "Quartz", "Redwood", "Summit",
    "Tidal", "Umbra", "Vertex", "Willow", "Zenith", "Aurora", "Beacon", "Cobalt", "Drift", "Evergreen",
    "Fjord", "Golden", "Helix", "Indigo", "Jade", "Kinetic", "Lattice", "Meridian", "Nova",
)
COMPANY_SECOND = (
    "Analytics", "Logistics", "Health", "Labs", "Systems", "Foods", "Capital", "Robotics", "Media", "Energy",
    "Retail", "Studios", "Networks", "Bio", "Works", "Partners", "Software", "Freight", "Learning", "Insurance",
)
SUFFIX_USD = ("Inc", "LLC", "Corp", "")
SUFFIX_EUR = ("GmbH", "SAS", "BV", "AG", "S.L.", "")

FIRST_NAMES = (
    "Ana", "Ben", "Chloe", "David", "Elena", "Farid", "Grace", "Hugo", "Ines", "Jonas", "Kenji", "Lea", "Marco",
    "Nora", "Omar", "Priya", "Quinn", "Rosa", "Sam", "Tara", "Uma", "Victor", "Wei", "Ximena", "Yusuf", "Zoe",
    "Liam", "Maya", "Noah", "Olivia", "Pablo", "Sofia", "Tomas", "Valentina", "Aisha", "Lukas",
)
LAST_NAMES = (
    "Smith", "Garcia", "Müller", "Rossi", "Kim", "Nguyen", "Dubois", "Silva", "Kowalski", "Jansen", "Patel",
    "Okafor", "Larsen", "Novak", "Haddad", "Tanaka", "O'Brien", "Fischer", "Moreau", "Costa", "Berg", "Ivanova",
)

INDUSTRIES = ("Software", "Financial Services", "Healthcare", "Retail", "Manufacturing", "Education", "Media", "Logistics")
REGIONS = ("North America", "EMEA", "APAC", "LATAM")
REGION_SHARE = (0.5, 0.32, 0.12, 0.06)
# Hours to add to a local business hour to get UTC, per region (a rough centre of each region).
REGION_UTC_SHIFT = (6, -1, -8, 4)
COUNTRIES = (
    ("United States", "Canada"),
    ("Germany", "France", "Netherlands", "Spain", "United Kingdom", "Sweden"),
    ("Australia", "Japan", "Singapore", "India"),
    ("Brazil", "Mexico", "Chile"),
)

TICKET_TOPICS = (
    # (subject, tags)
    ("Cannot log in after password reset", "access,login"),
    ("Invoice shows the wrong VAT number", "billing,invoice"),
    ("How do I share a report with my team?", "how-to,reports"),
    ("Salesforce integration stopped syncing", "integration,bug"),
    ("Dashboards load slowly", "performance"),
    ("CSV export is missing columns", "export,bug"),
    ("Alert e-mails not arriving", "alerts,bug"),
    ("Request: SSO with Okta", "feature-request,sso"),
    ("API rate limit errors (429)", "api,limits"),
    ('Chart shows "NaN" for last week', "reports,bug"),
    ("Add seats to our plan", "billing,seats"),
    ("Question about cancelling", "billing,cancellation"),
)

NPS_COMMENTS = {
    "detractor": (
        "Too expensive for what we use.", "Reports are slow, and support takes days to answer.",
        "We lost the person who set this up; nobody knows how it works now.", 'The "export" button breaks on large files.',
        "Missing the integrations we need.",
    ),
    "passive": ("Does the job.", "Good, but the learning curve is steep.", "Fine for reporting, weak on alerts."),
    "promoter": (
        "Our weekly review runs on it.", "Great support, fast answers.", "Saved us hours every week, love the dashboards!",
        "Easy to set up, easy to share.",
    ),
}
CSAT_COMMENTS = ("Quick fix, thanks!", "Took too long.", "Solved, but I had to explain twice.", "Very helpful agent.")
CES_COMMENTS = ("Easy.", "Had to contact you three times.", "The docs answered most of it.", "Confusing steps, but it worked.")
MILESTONE_NOTES = ("signed off by the customer", "see the kickoff deck", "confirmed on the QBR call", "")
