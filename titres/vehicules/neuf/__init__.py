"""« Immatriculation d’un véhicule neuf » filed by a habilitated dealer
for a client (issue 18): the certificate of conformity's data, the client,
the taxes of a first registration (Y1 + Y3 malus + Y4 + Y5), a new SIV
number allotted and the vehicle entered in the registry at submission."""
