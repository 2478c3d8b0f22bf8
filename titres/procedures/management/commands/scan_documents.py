from django.core.management.base import BaseCommand

from titres.procedures.antivirus import scan_document
from titres.procedures.enums import DocumentStatus
from titres.procedures.models import Document


class Command(BaseCommand):
    help = "Remet en file l’analyse antivirus des documents restés « en analyse »."

    def handle(self, *args, **options):
        pending = Document.objects.filter(status=DocumentStatus.EN_ANALYSE).values_list(
            "pk", flat=True
        )
        count = 0
        for pk in pending.iterator():
            scan_document.enqueue(str(pk))
            count += 1
        self.stdout.write(f"{count} document(s) remis en analyse.")
