"""A citizen's licence request from sign-up to "Terminée", over HTTP through
the load balancer: every request goes to the next app server in turn, so
the session, the CSRF token, the uploaded documents (in S3) and the quotas
(in Redis) must all be shared for the journey to work."""

import boto3
from journeys import citizen_licence_request, instruct_to_completion, sign_up
from portal_client import Person, text_of


def test_licence_request_from_sign_up_to_terminee_across_both_servers(cluster):
    citizen = Person(cluster.base_url)
    sign_up(cluster, citizen)
    request = citizen_licence_request(cluster, citizen)

    # The load balancer alternates (other traffic, such as the bank's
    # notification, takes turns too): both servers took a fair share, and
    # most forms were rendered by one server and accepted by the other
    # (CSRF token and session shared).
    servers = [hit.server for hit in citizen.hits]
    for name in ("app1", "app2"):
        assert servers.count(name) >= len(servers) / 3, servers
    crossed = [s for s in citizen.submits if s[0] and s[1] and s[0] != s[1]]
    assert len(crossed) >= len(citizen.submits) / 2 and len(crossed) >= 8, citizen.submits
    assert all(status in (200, 302) for _, _, status in citizen.submits), citizen.submits

    # Each document was uploaded through one server and is read back,
    # byte for byte, through the other; it lives in the object store.
    for upload in request.uploads:
        response = citizen.get_from_other_server(upload.url, than=upload.server)
        assert response.status_code == 200
        assert response.content == upload.content
    s3 = boto3.client(
        "s3",
        endpoint_url=cluster.env["AWS_S3_ENDPOINT_URL"],
        region_name=cluster.env["AWS_S3_REGION_NAME"],
        aws_access_key_id="cluster",
        aws_secret_access_key="cluster",
    )
    stored = {
        obj["Size"]
        for obj in s3.list_objects_v2(Bucket=cluster.env["AWS_STORAGE_BUCKET_NAME"]).get(
            "Contents", []
        )
    }
    assert {len(upload.content) for upload in request.uploads} <= stored
    assert not (cluster.dir / "state" / "media").exists()

    # The agent instructs it; the factory's tasks run on the production
    # worker; the citizen sees the request "Terminée".
    agent = Person(cluster.base_url)
    instruct_to_completion(cluster, agent, request.number)
    page = citizen.open(f"/demarches/{request.number}/")
    text = text_of(page.text)
    assert "Terminée" in text, text[:3000]
    assert "Demande validée" in text


def test_quotas_are_counted_once_for_both_servers(cluster):
    """The public stamp check allows 30 lookups an hour per address: counted
    in Redis, the 31st is refused whichever server answers (two servers of
    two processes each would otherwise allow 120)."""
    person = Person(cluster.base_url)
    # Through the load balancer every test comes from 127.0.0.1: this is
    # the only test that uses this page's quota.
    answered = []
    for _ in range(30):
        response = person.get("/timbres/verifier/?numero=0000000000000000")
        answered.append((response.status_code, person.last_server))
    assert {status for status, _ in answered} == {200}, answered
    assert {server for _, server in answered} == {"app1", "app2"}
    for _ in range(2):
        response = person.get("/timbres/verifier/?numero=0000000000000000")
        assert response.status_code == 429
        assert "Trop de vérifications de timbres depuis votre adresse réseau" in text_of(
            response.text
        )
    assert {hit.server for hit in person.hits[-2:]} == {"app1", "app2"}
