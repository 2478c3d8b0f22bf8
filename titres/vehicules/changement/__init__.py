"""The buyer's téléprocédure "J'achète ou je reçois un véhicule d'occasion"
(seed 003): its steps and forms, the tax payment, the CPI and the
acknowledgement, and (slice 3) its instruction by the CERT."""
