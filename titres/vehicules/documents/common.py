"""Helpers shared by the vehicle PDFs."""


def first_given_name(first_names: str) -> str:
    return (first_names or "").replace(",", " ").split(" ")[0][:20]
