"""The public form of the driving-test results: NEPH + birth date, the
lookup counted per IP address before the file is read (titres.permis.results)."""

from __future__ import annotations

from . import results
from .forms import LinkRecordForm


class ResultsForm(LinkRecordForm):
    """The same two fields, labels and checks as attaching a licence."""

    def __init__(self, *args, request=None, **kwargs):
        self.request = request
        super().__init__(*args, **kwargs)

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            results.count_lookup(self.request)
            data["record"] = results.find_record(data["neph"], data["birth_date"])
        except results.LookupRefused as refusal:
            self.add_error(None, refusal.message)
        return data
