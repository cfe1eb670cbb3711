"""People and places for the sample generator: names, addresses, BSNs, IBANs, phone numbers,
and date arithmetic."""

from __future__ import annotations

import random
from datetime import date, timedelta


# --------------------------------------------------------------------------------------
# Names, addresses and identifiers
# --------------------------------------------------------------------------------------

VOORNAMEN_M = ("Jan", "Pieter", "Kees", "Henk", "Willem", "Thomas", "Daan", "Sem", "Lucas", "Milan",
               "Bram", "Ruben", "Jesse", "Thijs", "Lars", "Finn", "Noah", "Levi", "Luuk", "Stijn",
               "Joris", "Mark", "Erik", "Gerrit", "Hendrik", "Bas", "Niels", "Tim", "Jeroen", "Sander",
               "Mohamed", "Ahmed", "Youssef", "Emre", "Mehmet", "Rik", "Wouter", "Koen", "Teun", "Gijs",
               "Sven", "Jurre", "Mees", "Siem", "Olivier", "Dirk", "Frank", "Maarten", "René", "Jürgen")
VOORNAMEN_V = ("Anna", "Emma", "Sophie", "Julia", "Lotte", "Sanne", "Fleur", "Eva", "Lisa", "Iris",
               "Anouk", "Femke", "Noor", "Tess", "Sara", "Mila", "Zoë", "Lieke", "Marieke", "Annemiek",
               "Ingrid", "Petra", "Monique", "Esther", "Linda", "Wendy", "Miranda", "Karin", "Ilse", "Maaike",
               "Fatima", "Yasmina", "Ayşe" if False else "Ayse", "Elif", "Nadia", "Hanneke", "Gerda", "Joke",
               "Marloes", "Renée", "Chantal", "Mirjam", "Daphne", "Roos", "Evi", "Nina", "Jasmijn", "Sofie",
               "Floor", "Hélène")
ACHTERNAMEN = ("de Vries", "Jansen", "de Jong", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
               "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Dijk", "Dekker",
               "van der Berg", "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer",
               "Kok", "Jacobs", "de Haan", "Vermeulen", "van den Heuvel", "van der Veen", "van den Broek",
               "Schouten", "Willems", "van Leeuwen", "Hoekstra", "Maas", "Verhoeven", "Koster", "Prins",
               "Blom", "Huisman", "Kuipers", "Nijland", "Oude Luttikhuis", "Velthuis", "Leferink",
               "Kampert", "Wennink", "Zwijnenberg", "Olthof", "Nijhuis", "Pasman", "Groothuis",
               "Lansink", "Scholten", "Gerritsen", "Borghuis", "van Wijk", "Post", "Kroon", "Wolters",
               "el Amrani", "Yilmaz", "Öztürk", "Kaya", "Bouzid", "Hoogland", "Verweij", "Stam",
               "Roelofs", "Hermans", "van Beek", "Koning", "Schipper", "Veenstra", "Timmer", "Sluiter")
STRATEN = ("Kerkstraat", "Dorpsstraat", "Molenweg", "Lindelaan", "Beukenlaan", "Schoolstraat",
           "Julianastraat", "Wilhelminastraat", "Oranjestraat", "Brinkstraat", "Esweg", "Hoofdstraat",
           "Prins Bernhardlaan", "Eikenlaan", "Vlasakker", "Populierenlaan", "Meidoornstraat",
           "Kastanjelaan", "Zonnebloemstraat", "Merelstraat", "Vinkenstraat", "Kievitstraat",
           "Lijsterbesstraat", "Berkenlaan", "Sportlaan", "Parklaan", "Rozenstraat", "Tulpstraat",
           "Jasmijnstraat", "Oude Molenweg", "Broekweg", "Veldweg", "Marktstraat", "Stationsweg")
PLAATSEN = {
    "0168": (("Losser", "758"), ("Overdinkel", "7586"), ("De Lutte", "7587"), ("Glane", "7585"),
             ("Beuningen", "7588")),
    "0736": (("Mijdrecht", "364"), ("Wilnis", "3648"), ("Vinkeveen", "3645"), ("Abcoude", "1391"),
             ("Baambrugge", "1396"), ("Amstelhoek", "3644")),
}
ANDERE_PLAATSEN = (("Enschede", "75", "053"), ("Hengelo", "755", "074"), ("Oldenzaal", "757", "0541"),
                   ("Utrecht", "35", "030"), ("Amsterdam", "10", "020"), ("Uithoorn", "142", "0297"),
                   ("Breukelen", "362", "0346"), ("Almelo", "76", "0546"), ("Haaksbergen", "748", "053"))
NETNUMMER = {"0168": "053", "0736": "0297"}
INSTELLING_NAMEN = (
    "Stichting Jeugdzorg {p}", "Kinderpraktijk De Regenboog", "Zorgboerderij De Hoeve",
    "Logeerhuis Het Anker", "Stichting Dagbesteding {p}", "Praktijk voor Kinder- en Jeugdpsychologie {p}",
    "Autismecentrum De Brug", "Jeugdhulp Op Maat B.V.", "Orthopedagogenpraktijk {p}",
    "Stichting Het Kinderhuis", "Taxicentrale {p} B.V.", "Zorgboerderij De Zonnehoek",
    "Gezinshuis De Linde", "Dagbehandeling De Kikker", "Stichting Speelgoed & Zorg",
    "Leerhuis De Wegwijzer", "Ambulante Jeugdhulp {p}", "Zorgcentrum De Esch",
)
BUREAU_NAMEN = ("Bewindvoering {p}", "Bewindvoerderskantoor {a}", "Budgetbeheer {p}",
                "Administratiekantoor {a}", "Mentorschap {p}", "Zorgconsulenten {a}")
BANKEN = ("INGB", "RABO", "ABNA", "SNSB", "TRIO", "ASNB", "KNAB", "RBRB")
MAILDOMEINEN = ("gmail.com", "hotmail.com", "outlook.com", "ziggo.nl", "kpnmail.nl", "live.nl",
                "hetnet.nl", "icloud.com")
LANDEN_VAKANTIE = ("DE", "BE", "FR", "ES")

OMS = {
    "zzp": ("begeleiding thuis", "begeleiding bij huiswerk", "schooladministratie doornemen",
            "reizen met het OV oefenen", "weekplanning maken", "sociale vaardigheden oefenen",
            "begeleiding na school", "dagstructuur oefenen", "zelfstandigheidstraining",
            "begeleiding bij sport", "boodschappen doen oefenen", "gesprek met ouders en school",
            "omgaan met emoties", "begeleiding bij vrijetijdsbesteding", ""),
    "sn": ("opvang na school", "begeleiding thuis", "hulp bij aankleden en wassen",
           "begeleiding bij huiswerk", "toezicht en structuur", "persoonlijke verzorging",
           "logeren bij oma", "zwemles begeleiden", "samen koken", ""),
    "behandeling": ("behandeling", "speltherapie", "cognitieve gedragstherapie", "EMDR-sessie",
                    "ouder-kindbehandeling", "diagnostiek", "intake en behandelplan", ""),
    "groep": ("dagbesteding", "groepsbegeleiding", "zorgboerderij", "naschoolse dagbehandeling",
              "sociale vaardigheidstraining in groep", "weekendopvang", ""),
    "verblijf": ("logeerweekend", "logeren", "weekendlogeren", ""),
    "vervoer": ("rit naar dagbesteding", "vervoer heen en terug", "taxirit", ""),
    "km": ("ritten naar therapie", "vervoer naar dagbesteding (eigen auto)", "ritten naar behandeling"),
}


def _bsn(rng: random.Random, used: set) -> str:
    while True:
        d = [int(c) for c in str(rng.randint(10_000_000, 99_999_999))]
        s = sum((9 - i) * x for i, x in enumerate(d)) % 11
        if s == 10:
            continue
        v = "".join(map(str, d)) + str(s)
        if v not in used:
            used.add(v)
            return v


def _iban_for(bank: str, account: str) -> str:
    body = bank + account + "NL00"
    num = "".join(str(int(ch, 36)) for ch in body)
    check = 98 - int(num) % 97
    return f"NL{check:02d}{bank}{account}"


def _iban(rng: random.Random, used: set) -> str:
    while True:
        bank = rng.choice(BANKEN)
        if bank == "INGB":
            acc = "000" + str(rng.randint(1_000_000, 9_999_999))
        else:
            while True:  # old Dutch 11-test on the 9-digit account number (weights 9..1)
                head = str(rng.randint(10_000_000, 99_999_999))
                s = sum((9 - i) * int(c) for i, c in enumerate(head)) % 11
                last = (11 - s) % 11      # weight 1 for the last digit
                if last < 10:
                    acc = "0" + head + str(last)
                    break
        v = _iban_for(bank, acc)
        if v not in used:
            used.add(v)
            return v


def _iban_spaced(v: str, lower: bool = False) -> str:
    s = " ".join(v[i:i + 4] for i in range(0, len(v), 4))
    return s.lower() if lower else s


def _mobiel(rng: random.Random, used: set) -> str:
    while True:
        digits = f"6{rng.randint(10_000_000, 99_999_999)}"
        if digits not in used:
            used.add(digits)
            return digits


def _fmt_mobiel(digits: str, style: int) -> str:
    d = digits[1:]
    if style == 0:
        return f"06-{d}"
    if style == 1:
        return f"06{d}"
    if style == 2:
        return f"06 {d[0:2]} {d[2:4]} {d[4:6]} {d[6:8]}"
    return f"+31 6 {d[0:4]} {d[4:8]}"


def _add_years(d: date, n: int) -> date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def _add_months(d: date, n: int) -> date:
    m = d.month - 1 + n
    y, m = d.year + m // 12, m % 12 + 1
    last = [31, 29 if (y % 4 == 0 and (y % 100 != 0 or y % 400 == 0)) else 28, 31, 30, 31, 30,
            31, 31, 30, 31, 30, 31][m - 1]
    return date(y, m, min(d.day, last))


def _month_end(d: date) -> date:
    return _add_months(d.replace(day=1), 1) - timedelta(days=1)
