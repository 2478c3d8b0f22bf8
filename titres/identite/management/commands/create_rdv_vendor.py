from django.core.management.base import BaseCommand, CommandError

from ...models import Vendor
from ...services.vendors import create_vendor


class Command(BaseCommand):
    help = "Crée un éditeur de logiciel de rendez-vous et affiche son jeton (une seule fois)."

    def add_arguments(self, parser):
        parser.add_argument("name")

    def handle(self, *args, name, **options):
        if Vendor.objects.filter(name=name).exists():
            raise CommandError(f"L’éditeur « {name} » existe déjà.")
        vendor, token = create_vendor(name=name, actor=None)
        self.stdout.write(f"Éditeur {vendor.name} créé. Jeton (X-HUB-RDV-AUTH-TOKEN) : {token}")
