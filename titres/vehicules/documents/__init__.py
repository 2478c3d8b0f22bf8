"""Printable documents of the vehicle procedures, each with its 2D-Doc:
certificat de cession (type A8), CPI (the portal's type Z1), accusé
d'enregistrement, tax receipt."""
