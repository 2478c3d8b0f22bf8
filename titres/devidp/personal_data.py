"""The local stand-in for FranceConnect holds demonstration citizens only."""

COVERS: dict[str, str] = {}
EXEMPT = {
    "devidp.DemoCitizen": "identité fictive du fournisseur d’identité de développement",
}
