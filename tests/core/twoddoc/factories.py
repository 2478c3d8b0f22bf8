"""Field values of each document type, as a caller would pass them."""

import datetime as dt


def cession_fields(**overrides) -> dict:
    values = {
        "A1": "AB-123-CD",
        "A4": "VF1RFB00X12345678",
        "AA": dt.date(2019, 5, 17),
        "AN": 48213,
        "C0": "M",
        "C1": "Lévêque",
        "C2": "Jean-François",
        "C3": dt.datetime(2026, 11, 30, 9, 45),
        "C4": dt.date(2026, 11, 30),
        "C5": "F",
        "C6": "Dubois",
        "C7": "Hélène",
        "C8": "12 rue de l'Église",
        "C9": "69003",
        "CA": "Lyon",
        "CB": 4567,
        "CC": dt.datetime(2026, 11, 30, 10, 2),
    }
    values.update(overrides)
    return values


def cepc_fields(**overrides) -> dict:
    values = {
        "60": ["Paul", "Jean"],
        "62": "Dupont",
        "69": dt.date(1980, 5, 7),
        "D3": dt.date(2026, 11, 20),
        "E9": "AZER-YUIO 123456789",
        "EA": "P",
        "EC": dt.date(2026, 11, 20),
        "ED": "B",
        "D4": dt.date(2027, 3, 20),
        "EB": "12345",
        "EE": "78/01.04",
        "EF": "0",
    }
    values.update(overrides)
    return values


def cpi_fields(**overrides) -> dict:
    values = {
        "01": "VEH-2026-000123",
        "A0": "FR",
        "A1": "AB-123-CD",
        "A4": "VF1RFB00X12345678",
        "A2": "Renault",
        "A3": "Clio",
        "AA": dt.date(2019, 5, 17),
        "A6": "ES",
        "62": "Dubois",
        "60": "Hélène",
        "6W": "69003",
        "6X": "Lyon",
        "6N": dt.date.today() - dt.timedelta(days=3),
        # A CPI is valid one month: relative to today so the fixture never expires.
        "08": dt.date.today() + dt.timedelta(days=27),
    }
    values.update(overrides)
    return values
