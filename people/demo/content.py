"""The demo organisation's fixed facts: the password and the accounts every
demo signs in with, the names people are drawn from, titles, timezones,
departments and squads."""

from dataclasses import dataclass

SEED = 2026
DEMO_PASSWORD = "growth-demo-2026"
CHANGE_REASON = "demo seed"
HR_EMAIL = "hr@example.com"
ADMIN_EMAIL = "admin@example.com"

# First names | last names, one naming culture per entry: a name is drawn from one
# culture so that it reads like a real person's rather than a random mix.
_NAMES = """
Oliver Amelia Harry Isla Jack Freya George Poppy Callum Niamh Rory Siobhan
    | Smith Jones Taylor Brown Wilson Evans Walsh Murphy Kelly Campbell Hughes Byrne
Lukas Hannah Jonas Lea Felix Anna Maximilian Sophie Jan Marieke Daan Sanne
    | Müller Schmidt Schneider Fischer Weber Becker Hoffmann Jansen Visser Bakker Smit
Lars Ingrid Søren Astrid Mikko Aino Erik Sigrid Henrik Liv Ólafur Saga
    | Andersson Johansson Nielsen Hansen Larsen Virtanen Korhonen Lindqvist Berg Dahl
José Lucía Mateo Valentina Diego Camila Javier Sofía Andrés Carmen Pablo Elena
    | García Martínez López Hernández González Rodríguez Pérez Sánchez Romero Torres
Aarav Priya Rohan Ananya Vikram Kavya Arjun Meera Rahul Divya Karthik Sneha
    | Sharma Patel Iyer Reddy Nair Gupta Singh Menon Rao Desai Kulkarni Banerjee
Wei Li Jun Mei Hao Xin Yu Lan Jie Ying Tao Hui
    | Wang Zhang Liu Chen Yang Huang Zhao Wu Zhou Xu Lin Guo
Haruto Yui Sota Aoi Daiki Hina Kenji Sakura Ren Yuki Takumi Emi
    | Sato Suzuki Takahashi Tanaka Watanabe Yamamoto Nakamura Kobayashi Ito Kato
Minjun Jiwoo Seoyeon Jisoo Hyunwoo Jiho Eunji Dohyun Sumin Yejin
    | Kim Lee Park Choi Jung Kang Cho Yoon Han Lim
Chinedu Amara Kwame Ama Tunde Ngozi Kofi Adaeze Emeka Zainab Yaw Funmilayo
    | Okafor Adeyemi Mensah Boateng Okonkwo Eze Asante Balogun Owusu Nwosu Danjuma
Omar Layla Yusuf Fatima Karim Noor Emre Elif Reza Leila Tariq Yasmin
    | Haddad Khalil Nasser Yilmaz Demir Kaya Hosseini Rahimi Aziz Mansour Farah
Łukasz Zofia Piotr Katarzyna Tomasz Agnieszka Kamil Magdalena Jakub Marta
    | Nowak Wójcik Kowalczyk Mazur Krawczyk Kaczmarek Dudek Pawlak
Oleksandr Olena Andriy Iryna Dmytro Oksana Taras Kateryna Bohdan Yulia
    | Shevchenko Kovalenko Bondarenko Tkachenko Kravchenko Melnyk Boyko Savchenko
Louis Chloé Hugo Camille Luca Giulia Marco Francesca Théo Manon Matteo Chiara
    | Dubois Moreau Laurent Lefèvre Rossi Russo Ferrari Bianchi Romano Colombo Girard
Ethan Madison Tyler Brianna Jordan Riley Marcus Jasmine Caleb Morgan Darius Avery
    | Johnson Williams Miller Davis Anderson Thomas Jackson White Harris Robinson Clark
"""
NAME_POOLS = [
    tuple(part.split() for part in line.split("|"))
    for line in _NAMES.replace("\n    |", " |").strip().splitlines()
]


# Titles per discipline, junior to senior, with how often each appears.
IC_TITLES = {
    "software": [
        ("Software Engineer", 30),
        ("Senior Software Engineer", 45),
        ("Staff Engineer", 10),
    ],
    "mobile": [
        ("iOS Engineer", 15),
        ("Android Engineer", 15),
        ("Senior iOS Engineer", 20),
        ("Senior Android Engineer", 20),
        ("Staff Engineer", 8),
    ],
    "design": [
        ("Product Designer", 35),
        ("Senior Product Designer", 40),
        ("UX Researcher", 15),
        ("Staff Product Designer", 8),
    ],
    "sre": [
        ("Site Reliability Engineer", 30),
        ("Senior Site Reliability Engineer", 45),
        ("Staff Site Reliability Engineer", 10),
    ],
    "security": [
        ("Security Engineer", 35),
        ("Senior Security Engineer", 45),
        ("Staff Security Engineer", 10),
    ],
    "data": [("Data Engineer", 30), ("Senior Data Engineer", 45), ("Staff Data Engineer", 10)],
    "analytics": [("Data Analyst", 30), ("Data Scientist", 35), ("Senior Data Scientist", 25)],
    "ml": [
        ("Machine Learning Engineer", 30),
        ("Senior Machine Learning Engineer", 35),
        ("Data Scientist", 20),
        ("Staff Machine Learning Engineer", 8),
    ],
}
# A few people work away from their team's hubs.
REMOTE_TIMEZONES = [
    "Europe/Lisbon",
    "America/Toronto",
    "Africa/Lagos",
    "Africa/Nairobi",
    "Asia/Singapore",
    "Australia/Sydney",
    "America/Sao_Paulo",
    "Europe/Athens",
]


@dataclass(frozen=True)
class Department:
    name: str
    head_title: str
    principal_title: str
    timezone: str


@dataclass(frozen=True)
class Squad:
    name: str
    department: str
    engineers: int  # individual contributors, not counting managers
    discipline: str  # a key of IC_TITLES
    timezones: tuple[str, ...]  # the team's hubs


PRODUCT, PLATFORM, DATA = "Product Engineering", "Platform", "Data"
DEPARTMENTS = [
    Department(PRODUCT, "VP Engineering", "Principal Engineer", "Europe/London"),
    Department(PLATFORM, "Director of Engineering", "Principal Engineer", "Europe/Dublin"),
    Department(DATA, "Director of Data", "Principal Data Scientist", "America/New_York"),
]
SQUADS = [
    Squad("Payments", PRODUCT, 18, "software", ("Europe/London", "Europe/Berlin")),
    Squad("Checkout", PRODUCT, 13, "software", ("Europe/London", "Europe/Madrid")),
    Squad("Search", PRODUCT, 15, "software", ("America/New_York", "America/Chicago")),
    Squad("Mobile", PRODUCT, 15, "mobile", ("Europe/Berlin", "Europe/Warsaw")),
    Squad("Growth", PRODUCT, 11, "software", ("America/Los_Angeles", "America/Denver")),
    Squad("Product Design", PRODUCT, 9, "design", ("Europe/London", "America/New_York")),
    Squad("Identity", PLATFORM, 13, "software", ("Asia/Kolkata", "Europe/London")),
    Squad("Observability", PLATFORM, 10, "sre", ("Europe/Dublin", "America/New_York")),
    Squad("Developer Experience", PLATFORM, 10, "software", ("Europe/Amsterdam",)),
    Squad("Infrastructure", PLATFORM, 15, "sre", ("America/Chicago", "Asia/Singapore")),
    Squad("Security", PLATFORM, 8, "security", ("Europe/London", "Australia/Sydney")),
    Squad("Data Platform", DATA, 12, "data", ("Asia/Kolkata", "Asia/Singapore")),
    Squad("Analytics", DATA, 11, "analytics", ("America/New_York", "America/Sao_Paulo")),
    Squad("Machine Learning", DATA, 13, "ml", ("America/Los_Angeles", "Asia/Tokyo")),
]
ENGINEERING = "Engineering"
PEOPLE = "People"
TEAM_DESCRIPTIONS = {
    ENGINEERING: "Everyone who builds the product.",
    PEOPLE: "The people team: hiring, onboarding and growth.",
    PRODUCT: "The teams that build what customers see and pay for.",
    PLATFORM: "Shared services, infrastructure and tools for every other team.",
    DATA: "Data pipelines, analytics and machine learning.",
    "Payments": "Card payments, payouts and invoicing.",
    "Checkout": "Basket, checkout flow and promotions.",
    "Search": "Search, ranking and recommendations.",
    "Mobile": "The iOS and Android apps.",
    "Growth": "Sign-up, activation and experiments.",
    "Product Design": "Product design and user research.",
    "Identity": "Accounts, sign-in, permissions and single sign-on.",
    "Observability": "Metrics, logs, tracing and on-call tooling.",
    "Developer Experience": "CI, build tooling and local development.",
    "Infrastructure": "Cloud accounts, Kubernetes and databases.",
    "Security": "Application security, threat modelling and incident response.",
    "Data Platform": "The warehouse, pipelines and event streams.",
    "Analytics": "Dashboards, metric definitions and experiment analysis.",
    "Machine Learning": "Ranking, fraud and forecasting models.",
}
NEW_HIRES = 5
SQUAD_SIZE = 5  # engineers a tech-lead manager looks after
