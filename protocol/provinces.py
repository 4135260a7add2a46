"""Italian province codes (sigle automobilistiche) accepted in supply addresses.

``PROVINCE_NAMES`` maps every accepted two-letter code to the province's name; ``PROVINCE_CODES``
is the same set of codes as a frozenset. The list holds the 107 provinces and metropolitan
cities in force since 2017, plus the four Sardinian codes (CI, OG, OT, VS) that Sardinia's
2021-2025 reorganisation brought back into use: addresses written with either the old or the
new Sardinian code are accepted, since customers and agents use both.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

__all__ = ["PROVINCE_CODES", "PROVINCE_NAMES"]

_NAMES: dict[str, str] = {
    # Piemonte
    "AL": "Alessandria", "AT": "Asti", "BI": "Biella", "CN": "Cuneo", "NO": "Novara",
    "TO": "Torino", "VB": "Verbano-Cusio-Ossola", "VC": "Vercelli",
    # Valle d'Aosta
    "AO": "Aosta",
    # Lombardia
    "BG": "Bergamo", "BS": "Brescia", "CO": "Como", "CR": "Cremona", "LC": "Lecco",
    "LO": "Lodi", "MB": "Monza e della Brianza", "MI": "Milano", "MN": "Mantova",
    "PV": "Pavia", "SO": "Sondrio", "VA": "Varese",
    # Trentino-Alto Adige
    "BZ": "Bolzano", "TN": "Trento",
    # Veneto
    "BL": "Belluno", "PD": "Padova", "RO": "Rovigo", "TV": "Treviso", "VE": "Venezia",
    "VI": "Vicenza", "VR": "Verona",
    # Friuli-Venezia Giulia
    "GO": "Gorizia", "PN": "Pordenone", "TS": "Trieste", "UD": "Udine",
    # Liguria
    "GE": "Genova", "IM": "Imperia", "SP": "La Spezia", "SV": "Savona",
    # Emilia-Romagna
    "BO": "Bologna", "FC": "Forlì-Cesena", "FE": "Ferrara", "MO": "Modena",
    "PC": "Piacenza", "PR": "Parma", "RA": "Ravenna", "RE": "Reggio Emilia", "RN": "Rimini",
    # Toscana
    "AR": "Arezzo", "FI": "Firenze", "GR": "Grosseto", "LI": "Livorno", "LU": "Lucca",
    "MS": "Massa-Carrara", "PI": "Pisa", "PO": "Prato", "PT": "Pistoia", "SI": "Siena",
    # Umbria
    "PG": "Perugia", "TR": "Terni",
    # Marche
    "AN": "Ancona", "AP": "Ascoli Piceno", "FM": "Fermo", "MC": "Macerata",
    "PU": "Pesaro e Urbino",
    # Lazio
    "FR": "Frosinone", "LT": "Latina", "RI": "Rieti", "RM": "Roma", "VT": "Viterbo",
    # Abruzzo
    "AQ": "L'Aquila", "CH": "Chieti", "PE": "Pescara", "TE": "Teramo",
    # Molise
    "CB": "Campobasso", "IS": "Isernia",
    # Campania
    "AV": "Avellino", "BN": "Benevento", "CE": "Caserta", "NA": "Napoli", "SA": "Salerno",
    # Puglia
    "BA": "Bari", "BR": "Brindisi", "BT": "Barletta-Andria-Trani", "FG": "Foggia",
    "LE": "Lecce", "TA": "Taranto",
    # Basilicata
    "MT": "Matera", "PZ": "Potenza",
    # Calabria
    "CS": "Cosenza", "CZ": "Catanzaro", "KR": "Crotone", "RC": "Reggio Calabria",
    "VV": "Vibo Valentia",
    # Sicilia
    "AG": "Agrigento", "CL": "Caltanissetta", "CT": "Catania", "EN": "Enna",
    "ME": "Messina", "PA": "Palermo", "RG": "Ragusa", "SR": "Siracusa", "TP": "Trapani",
    # Sardegna (107 codes end here: CA, NU, OR, SS, SU) ...
    "CA": "Cagliari", "NU": "Nuoro", "OR": "Oristano", "SS": "Sassari",
    "SU": "Sud Sardegna",
    # ... and the Sardinian codes back in use after the regional reorganisation.
    "CI": "Sulcis Iglesiente", "OG": "Ogliastra", "OT": "Gallura Nord-Est Sardegna",
    "VS": "Medio Campidano",
}

PROVINCE_NAMES: Mapping[str, str] = MappingProxyType(_NAMES)
PROVINCE_CODES: frozenset[str] = frozenset(_NAMES)
