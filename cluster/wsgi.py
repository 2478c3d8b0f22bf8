"""The app servers' entry point in the cluster (scripts/cluster.sh).

The portal's own WSGI application, plus one response header naming the
server that answered (`X-Titres-Serveur`, from TITRES_SERVEUR): behind the
load balancer, the cluster tests and an operator reading a response can
tell which app server produced it."""

import os

from titres.wsgi import application as portal

SERVER = os.environ.get("TITRES_SERVEUR", "")


def application(environ, start_response):
    if not SERVER:
        return portal(environ, start_response)

    def start_with_server(status, headers, exc_info=None):
        return start_response(status, [*headers, ("X-Titres-Serveur", SERVER)], exc_info)

    return portal(environ, start_with_server)
