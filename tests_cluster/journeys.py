"""The steps of a citizen's and an agent's journeys, over HTTP through the
load balancer, shared by the journey, fault and soak tests."""

from __future__ import annotations

import email.policy
import io
import re
import time
import uuid
from dataclasses import dataclass, field
from email import message_from_bytes
from html import unescape

from clusterctl import Cluster, wait_until
from portal_client import Person, text_of

PASSWORD = "Cluster-Titres-2026!"
STAMP_LINE = re.compile(r"timbre fiscal \(25 €, permis\)\s+(\d{16})")


def minimal_pdf(pages: int = 1, marker: str = "") -> bytes:
    """A valid PDF of `pages` blank pages (the portal checks PDFs with pypdf);
    `marker` makes each file's content unique."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if marker:
        writer.add_metadata({"/Subject": marker})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def mail_to(cluster: Cluster, address: str, subject_part: str, *, timeout: float = 60) -> str:
    """The text of the newest mail to `address` whose subject contains
    `subject_part`, waiting for the mail worker to send it."""

    def find():
        found = []
        for message in cluster.mails():
            parsed = message_from_bytes(bytes(message), policy=email.policy.default)
            if address in str(parsed["To"]) and subject_part in str(parsed["Subject"]):
                body = parsed.get_body(preferencelist=("plain", "html"))
                found.append(body.get_content() if body else "")
        return found[-1] if found else None

    return wait_until(find, timeout=timeout, message=f"no mail '{subject_part}' to {address}")


def sign_up(cluster: Cluster, person: Person, *, first_name="Pierre", last_name="Corneille"):
    """Sign-up form, activation link from the mail, first login. Returns
    (username, e-mail address)."""
    suffix = uuid.uuid4().hex[:8]
    username = f"cluster.{suffix}"
    address = f"{username}@example.fr"
    person.open("/compte/inscription/")
    response = person.submit(
        {
            "username": username,
            "first_name": first_name,
            "last_name": last_name,
            "email": address,
            "sex": "M",
            "phone": "06 12 34 56 78",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "secret_answer": "Rex",
            "accept_terms": "on",
            "captcha_1": "PASSED",
        },
        action="/compte/inscription/",
    )
    assert response.status_code == 200, response.status_code
    assert "/compte/inscription/envoyee/" in response.url, text_of(response.text)[:3000]
    body = mail_to(cluster, address, "Activez votre compte")
    link = re.search(r"https?://\S+/compte/activation/[^\s/]+/", body)
    assert link, body
    page = person.open(link.group(0))
    assert "Votre compte est activé" in text_of(page.text), text_of(page.text)[:2000]
    person.login(username, PASSWORD)
    return username, address


def demo_stamp(cluster: Cluster) -> str:
    """An available 25 € licence stamp of the demo data (printed by load_demo)."""
    rows = cluster.sql(
        "SELECT number FROM paiements_stamp WHERE purpose = 'permis_perte_vol' "
        "AND state = 'disponible' ORDER BY id LIMIT 1"
    )
    assert rows, "no available demo stamp"
    return rows[0][0]


def wait_for(predicate, timeout=60, message=""):
    return wait_until(predicate, timeout=timeout, message=message)


def settle(seconds: float = 0.0) -> None:
    time.sleep(seconds)


def totp(secret_b32: str, *, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """RFC 6238 code of an authenticator application (SHA-1, 30 s)."""
    import base64
    import hashlib
    import hmac
    import struct

    key = base64.b32decode(secret_b32)
    counter = int((time.time() if at is None else at) // step)
    digest = hmac.new(key, struct.pack(">Q", counter), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    value = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{value % 10**digits:0{digits}d}"


def agent_login(person: Person, username: str, password: str, secret: str) -> None:
    """Password, then the one-time code of the agent's TOTP application. A
    code is accepted once: a second sign-in within the same 30 s waits for
    the next code, as the agent would."""
    person.open("/agent/connexion/")
    person.submit({"username": username, "password": password}, action="/agent/connexion/")
    assert "/agent/securite/verification/" in person.page.url, text_of(person.page.text)[:1500]
    for _attempt in range(2):
        person.submit({"token": totp(secret)}, action="/agent/securite/verification/")
        if "/agent/securite/" not in person.page.url:
            return
        assert "Code incorrect ou expiré" in text_of(person.page.text)
        time.sleep(30.5 - time.time() % 30)
    raise AssertionError(text_of(person.page.text)[:1500])


ETAT_CIVIL = {
    "nom_naissance": "Corneille",
    "sexe": "M",
    "prenoms": ["Pierre", ""],
    "date_naissance": "01/01/1956",
    "lieu_naissance": "france",
    "commune_naissance": "Nancy",
    "departement_naissance": "54",
}
ADRESSE = {
    "numero": "66",
    "type_voie": "rue",
    "nom_voie": "du Pas",
    "code_postal": "54000",
    "commune": "Nancy",
    "email": "pierre.corneille@example.fr",
    "mobile": "06 12 34 56 78",
    "consentement_information": "non",
}
# The demo data's licence holder (SNPC record NEPH 7454 9000 0015).
THEFT_DOCUMENTS = ["domicile", "identite", "recepisse_vol"]
TEST_CARD = "4970 1000 0000 0006"  # the local bank: accepted without 3-D Secure


@dataclass
class Upload:
    code: str
    url: str
    server: str
    content: bytes


@dataclass
class LicenceRequest:
    number: str
    uploads: list[Upload] = field(default_factory=list)
    stamp: str = ""


def free_ephoto_code(cluster: Cluster) -> str:
    """A valid, unused e-photo code of the demo data (three per cluster)."""
    rows = cluster.sql(
        "SELECT code FROM permis_ephoto WHERE used_at IS NULL AND expires_at > now() "
        "AND code LIKE 'DEMOVALIDE%%' AND NOT EXISTS (SELECT 1 FROM permis_licencerequest r "
        "WHERE r.ephoto_id = permis_ephoto.id) ORDER BY code LIMIT 1"
    )
    assert rows, "no unused demo e-photo code left: restart the cluster (make cluster)"
    return rows[0][0]


def next_step(person: Person, data: dict | None = None, expected: str = "") -> None:
    response = person.submit(data, button=("action", "next"))
    assert response.status_code == 200, (response.status_code, text_of(response.text)[:2000])
    if expected:
        assert f"/etapes/{expected}/" in response.url, text_of(response.text)[:3000]


def start_licence_request(person: Person) -> str:
    """Steps 1 to 4 of a licence request after a theft; returns its number."""
    person.open("/demarches/nouvelle/permis/")
    person.submit(action="/demarches/commencer/permis-de-conduire/")
    assert "/etapes/motif/" in person.page.url, person.page.url
    number = person.page.url.split("/demarches/")[1].split("/")[0]
    next_step(person, {"motif": "vol"}, "etat_civil")
    next_step(person, ETAT_CIVIL, "adresse")
    next_step(person, ADRESSE, "photo")
    return number


def upload_documents(person: Person, number: str) -> list[Upload]:
    uploads = []
    for code in THEFT_DOCUMENTS:
        content = minimal_pdf(1, f"{number}-{code}-{uuid.uuid4().hex}")
        response = person.submit(
            action=f"/demarches/{number}/pieces/{code}/",
            files={"file": (f"{code}.pdf", content, "application/pdf")},
            follow=False,
        )
        assert response.status_code == 302, (response.status_code, text_of(response.text)[:2000])
        server = person.last_server
        person.follow(response)
        uploads.append(Upload(code, "", server, content))

    # The antivirus task (documents queue) marks each one valid.
    def all_valid():
        page = person.open(f"/demarches/{number}/etapes/pieces/")
        return text_of(page.text).count("Document valide") == len(THEFT_DOCUMENTS) and page

    page = wait_for(all_valid, timeout=60, message="documents not scanned")
    links = re.findall(r'href="(/demarches/pieces/[0-9a-f-]+/)"', page.text)
    assert len(links) == len(uploads), links
    # The page lists them in the order of the rules, as uploaded.
    for upload, link in zip(uploads, links, strict=True):
        upload.url = link
    return uploads


def buy_stamp(cluster: Cluster, person: Person) -> str:
    """From step 6, the shop and the local bank, then back with the stamp."""
    link = re.search(r'href="([^"]+)"[^>]*>\s*Acheter un timbre fiscal', person.page.text)
    assert link, text_of(person.page.text)[:2000]
    person.open(unescape(link.group(1)))
    person.submit(action="/timbres/")
    assert "/timbres/banque/" in person.page.url, text_of(person.page.text)[:2000]
    person.submit(
        {
            "numero_carte": TEST_CARD,
            "mois": "12",
            "annee": str(time.gmtime().tm_year + 1),
            "cvv": "123",
        },
        action="/timbres/banque/",
    )
    result = person.page.url
    assert "/timbres/paiement/" in result, text_of(person.page.text)[:2000]

    # The bank's notification arrives as a task: the page says "en attente"
    # until then.
    def accepted():
        page = person.open(result)
        return "Paiement accepté" in text_of(page.text) and page

    page = wait_for(accepted, timeout=60, message="payment never confirmed")
    stamp = re.search(r"Numéro du timbre (\d{16})", text_of(page.text)).group(1)
    back = re.search(r'href="([^"]+)"[^>]*>\s*Continuer ma démarche avec ce timbre', page.text)
    person.open(unescape(back.group(1)))
    person.submit(action="/timbre/")
    assert "/etapes/paiement/" in person.page.url, person.page.url
    assert f"Le timbre n° {stamp} est enregistré pour votre demande" in text_of(person.page.text)
    return stamp


def citizen_licence_request(cluster: Cluster, person: Person) -> LicenceRequest:
    """A signed-in citizen's whole licence request after a theft, submitted."""
    number = start_licence_request(person)
    request = LicenceRequest(number)
    next_step(person, {"code_ephoto": free_ephoto_code(cluster)}, "pieces")
    request.uploads = upload_documents(person, number)
    next_step(person, None, "paiement")
    request.stamp = buy_stamp(cluster, person)
    next_step(person, None, "recapitulatif")
    response = person.submit({"attestation": "on"}, button=("action", "submit"))
    assert response.status_code == 200
    assert f"/demandes/{number}/confirmation/" in response.url, text_of(response.text)[:2000]
    assert "a été transmise au service instructeur" in text_of(response.text)
    return request


def instruct_to_completion(cluster: Cluster, agent: Person, number: str) -> None:
    """The demo agent validates and sends to the factory; the production
    worker runs the factory's steps until the title is delivered."""
    from conftest import AGENT, AGENT_TOTP_SECRET

    agent_login(agent, *AGENT, AGENT_TOTP_SECRET)
    agent.open(f"/agent/dossiers/{number}/")
    agent.submit(action=f"/agent/dossiers/{number}/valider/")
    assert "La demande est validée." in text_of(agent.page.text), text_of(agent.page.text)[:2000]
    agent.submit(action=f"/agent/dossiers/{number}/transmettre/")
    assert "La demande est transmise pour fabrication." in text_of(agent.page.text)

    def delivered():
        page = agent.open(f"/agent/dossiers/{number}/")
        return "Titre remis" in text_of(page.text)

    wait_for(delivered, timeout=90, message="the factory's tasks did not deliver the title")
