"""The holder's procedures on their registration certificate, for
citizens through FranceConnect and professionals for clients under
mandate: « Je change d’adresse » (adresse.py) and « Je demande un
duplicata » (duplicata.py). The registry changes at submission
(services.registry.change_address, issue_duplicate); the CERT then has the
label or the new certificate made."""
