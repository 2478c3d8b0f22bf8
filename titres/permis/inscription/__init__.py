"""Inscription au permis de conduire (first licence, issue 19): the
categories table, the téléprocédure declared with the engine's steps, and
what the prefecture's validation does (NEPH attributed, SNPC record "en
formation", attestation d'inscription)."""
