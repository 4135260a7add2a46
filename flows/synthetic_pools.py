"""Pools of Italian names, streets and places the synthetic book draws from.

Pools are built once per book from a seeded Faker ``it_IT`` and Faker's own table of real
postcodes (CAP) with their town and province, then sampled with a seeded ``random.Random``:
drawing from a list is ~100 times cheaper than calling Faker per record. Nothing depends on
``PYTHONHASHSEED``: every pool is a list in a fixed order.
"""

from __future__ import annotations

import random
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

from faker import Faker
from faker.providers.address.it_IT import Provider as ItalianAddresses

from flows.synthetic_random import BookRandom
from protocol.provinces import PROVINCE_CODES

# Real Italian retailers a customer may come from.
PREVIOUS_SUPPLIERS = (
    "Enel Energia", "Edison Energia", "A2A Energia", "Iren Mercato", "Eni Plenitude",
    "Acea Energia", "Sorgenia", "Engie Italia", "E.ON Energia", "Axpo Italia",
    "Estra Energie", "Dolomiti Energia", "Servizio Elettrico Nazionale", "AGSM AIM Energia",
)
PREVIOUS_SUPPLIER_WEIGHTS = (30, 10, 9, 7, 12, 6, 4, 4, 4, 2, 3, 2, 5, 2)
ELECTRICITY_ONLY_SUPPLIERS = frozenset({"Servizio Elettrico Nazionale"})  # maggior tutela

# Towns whose Belfiore code (cadastral code) is written into birth fiscal codes.
BIRTHPLACES = (
    "H501", "F205", "F839", "L219", "A944", "D612", "D969", "G273", "A662", "L736",
    "L781", "G224", "L424", "F257", "D548", "H199", "H294", "D704", "C573", "E289",
    "H223", "G337", "G535", "C351", "B354", "G478", "A271", "B157", "A794", "L483",
)

# Big towns: half the addresses fall in one of these (the rest anywhere in Italy).
BIG_TOWNS = frozenset({
    "Roma", "Milano", "Napoli", "Torino", "Bologna", "Firenze", "Genova", "Palermo", "Bari",
    "Venezia", "Verona", "Padova", "Trieste", "Modena", "Ferrara", "Ravenna", "Rimini",
    "Forlì", "Cesena", "Imola", "Reggio Emilia", "Parma", "Piacenza", "Catania", "Cagliari",
    "Perugia", "Ancona", "Pesaro", "Brescia", "Bergamo", "Udine", "Trento", "Bolzano",
    "Pescara", "Salerno", "Lecce", "Livorno", "Pisa", "Vicenza", "Treviso",
})

COMMON_STREETS = (
    "Via Roma", "Via Giuseppe Garibaldi", "Via Giuseppe Mazzini", "Corso Italia",
    "Via Dante Alighieri", "Via Guglielmo Marconi", "Piazza della Repubblica",
    "Via XX Settembre", "Viale della Vittoria", "Via Giacomo Matteotti", "Via Emilia",
    "Via Antonio Gramsci", "Via Cavour", "Via Alessandro Manzoni", "Via IV Novembre",
    "Via Vittorio Emanuele II", "Via Aldo Moro", "Via Papa Giovanni XXIII",
    "Via della Libertà", "Via dei Mille", "Via Nazionale", "Via San Francesco",
    "Via Don Giovanni Minzoni", "Via John Fitzgerald Kennedy", "Via Enrico Fermi",
    "Via Galileo Galilei", "Via Leonardo da Vinci", "Via Silvio Pellico", "Via Ugo Foscolo",
    "Viale Europa", "Via Piave", "Via Trieste", "Via Trento", "Largo Augusto",
    "Via Cesare Battisti", "Via Nazario Sauro", "Via Giovanni Pascoli", "Via Kennedy",
)

SECTORS = (
    "Impianti", "Costruzioni", "Trasporti", "Ristorazione", "Servizi", "Elettronica",
    "Alimentari", "Meccanica", "Arredamenti", "Logistica", "Edilizia", "Ortofrutta",
    "Panificio", "Tessile", "Ferramenta", "Autoriparazioni", "Ottica", "Farmacia",
    "Lavanderia", "Hotel", "Caseificio", "Cantina", "Informatica", "Termoidraulica",
)
LEGAL_FORMS = ("S.r.l.", "S.r.l.", "S.r.l.s.", "S.n.c.", "S.a.s.", "S.p.A.")
PUBLIC_BODIES = (
    "Comune di {town}", "Istituto Comprensivo di {town}", "Biblioteca Comunale di {town}",
    "Scuola dell'Infanzia di {town}", "Casa di Riposo di {town}", "Polisportiva di {town}",
)
EMAIL_DOMAINS = (
    "gmail.com", "libero.it", "virgilio.it", "hotmail.it", "outlook.it", "alice.it",
    "tiscali.it", "yahoo.it", "icloud.com", "tim.it",
)


@dataclass(frozen=True, slots=True)
class Place:
    postcode: str
    city: str
    province: str


@dataclass(frozen=True, slots=True)
class Pools:
    male_names: tuple[str, ...]
    female_names: tuple[str, ...]
    last_names: tuple[str, ...]
    streets: tuple[str, ...]
    companies: tuple[str, ...]
    big_town_places: tuple[Place, ...]
    all_places: tuple[Place, ...]


@lru_cache(maxsize=65536)
def ascii_letters(text: str) -> str:
    """Upper-case ASCII letters of ``text``, accents stripped ("Nicolò" -> "NICOLO")."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^A-Z]", "", plain.upper())


@lru_cache(maxsize=65536)
def slug(text: str) -> str:
    """Lower-case ASCII letters and digits only, for usernames and e-mail addresses."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return re.sub(r"[^a-z0-9]", "", plain.lower())


def _places() -> tuple[tuple[Place, ...], tuple[Place, ...]]:
    table = ItalianAddresses.cap_city_province
    every: list[Place] = []
    for postcode in sorted(table):
        for city, province in table[postcode]:
            if province in PROVINCE_CODES and postcode != "00000":
                every.append(Place(postcode=postcode, city=city, province=province))
    # A big town's generic "xx100" CAP is obsolete where the town has street-level CAPs.
    big = [p for p in every if p.city in BIG_TOWNS]
    multi = {p.city for p in big if not p.postcode.endswith("100")}
    big = [p for p in big if not (p.city in multi and p.postcode.endswith("100"))]
    return tuple(big), tuple(every)


def build_pools(*, seed: int) -> Pools:
    """Draw the pools for one book from a Faker ``it_IT`` seeded with ``seed``."""
    fake = Faker("it_IT")
    fake.seed_instance(seed)
    rng = BookRandom(f"{seed}:pools")
    last_names = sorted({fake.last_name() for _ in range(1500)})
    streets = sorted({fake.street_name() for _ in range(600)}) + list(COMMON_STREETS) * 8
    companies = sorted({fake.company() for _ in range(400)})
    companies += [
        f"{rng.choice(last_names)} {rng.choice(SECTORS)} {rng.choice(LEGAL_FORMS)}"
        for _ in range(1600)
    ]
    big, every = _places()
    return Pools(
        male_names=tuple(sorted({fake.first_name_male() for _ in range(800)})),
        female_names=tuple(sorted({fake.first_name_female() for _ in range(800)})),
        last_names=tuple(last_names),
        streets=tuple(streets),
        companies=tuple(companies),
        big_town_places=big,
        all_places=every,
    )


def cumulative(weights: Iterable[float]) -> list[float]:
    """Running totals of ``weights``, for ``bisect`` / ``random.choices(cum_weights=...)``."""
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def pick_index(rng: random.Random, cum_weights: Sequence[float]) -> int:
    """An index drawn with the weights whose running totals are ``cum_weights``."""
    return bisect_right(cum_weights, rng.random() * cum_weights[-1])


def draw_place(rng: random.Random, pools: Pools) -> Place:
    """Half the time a big town, else any real (CAP, town, province) of Italy."""
    if rng.random() < 0.5:
        return rng.choice(pools.big_town_places)
    return rng.choice(pools.all_places)


def draw_street(rng: random.Random, pools: Pools) -> str:
    """A street with a house number, now and then with a letter (``"Via Roma 12/A"``)."""
    number = int(rng.paretovariate(1.2)) if rng.random() < 0.5 else rng.randint(1, 120)
    suffix = "/" + "ABC"[rng.randrange(3)] if rng.random() < 0.05 else ""
    return f"{rng.choice(pools.streets)} {min(number, 400)}{suffix}"
