"""A person's browser, as far as the server can tell: a cookie jar, forms
read from the page (hidden fields and CSRF token included) and submitted
with the person's answers, and, for every answer, the app server that
produced it (the X-Titres-Serveur header)."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import requests

SERVER_HEADER = "X-Titres-Serveur"


@dataclass
class Form:
    action: str
    method: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    # Names of the submit buttons and their values (several per form).
    buttons: list[tuple[str, str]] = field(default_factory=list)
    enctype: str = ""

    def values(self, overrides: dict | None = None) -> list[tuple[str, str]]:
        """Default values with `overrides` applied (a list value sets a
        multi-valued field; None removes the field)."""
        overrides = dict(overrides or {})
        result = []
        for name, value in self.fields:
            if name in overrides:
                continue
            result.append((name, value))
        for name, value in overrides.items():
            if value is None:
                continue
            if isinstance(value, list | tuple):
                result += [(name, str(v)) for v in value]
            else:
                result.append((name, str(value)))
        return result


class _FormParser(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._select: str | None = None
        self._select_value: str | None = None
        self._select_first: str | None = None
        self._option: str | None = None
        self._textarea: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = {k: (v if v is not None else "") for k, v in attrs}
        if tag == "form":
            self._form = Form(
                action=a.get("action", ""),
                method=a.get("method", "get").lower(),
                enctype=a.get("enctype", ""),
            )
            self.forms.append(self._form)
            return
        form = self._form
        if form is None:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("submit", "image"):
                form.buttons.append((name, a.get("value", "")))
            elif kind in ("checkbox", "radio"):
                if "checked" in a:
                    form.fields.append((name, a.get("value", "on")))
            elif kind != "file":
                form.fields.append((name, a.get("value", "")))
        elif tag == "button" and name:
            form.buttons.append((name, a.get("value", "")))
        elif tag == "select" and name:
            self._select, self._select_value, self._select_first = name, None, None
        elif tag == "option" and self._select:
            value = a.get("value")
            self._option = value
            self._text = []
            if "selected" in a:
                self._select_value = value if value is not None else ""
        elif tag == "textarea" and name:
            self._textarea = name
            self._text = []

    def handle_data(self, data):
        if self._option is not None or self._textarea:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None
        elif tag == "option" and self._select:
            value = self._option if self._option is not None else "".join(self._text).strip()
            if self._select_first is None:
                self._select_first = value
            self._option = None
        elif tag == "select" and self._select and self._form is not None:
            value = self._select_value if self._select_value is not None else self._select_first
            self._form.fields.append((self._select, value or ""))
            self._select = None
        elif tag == "textarea" and self._textarea and self._form is not None:
            self._form.fields.append((self._textarea, "".join(self._text)))
            self._textarea = None


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


@dataclass
class Hit:
    method: str
    path: str
    status: int
    server: str
    seconds: float


class Person:
    """One person's session through the load balancer."""

    def __init__(self, base_url: str, *, timeout: float = 30):
        self.base_url = base_url.rstrip("/")
        self.http = requests.Session()
        self.http.headers["Accept-Language"] = "fr"
        self.timeout = timeout
        self.hits: list[Hit] = []
        self.page: requests.Response | None = None
        # (server that rendered the form, server that took the POST, status)
        self.submits: list[tuple[str, str, int]] = []

    # --- requests ------------------------------------------------------------

    def url(self, path: str) -> str:
        return urljoin(self.base_url + "/", path)

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        kwargs.setdefault("timeout", self.timeout)
        kwargs.setdefault("allow_redirects", False)
        url = self.url(path)
        started = time.monotonic()
        response = self.http.request(method, url, **kwargs)
        self.hits.append(
            Hit(
                method,
                urlsplit(url).path,
                response.status_code,
                response.headers.get(SERVER_HEADER, ""),
                time.monotonic() - started,
            )
        )
        return response

    def get(self, path: str, **kwargs) -> requests.Response:
        return self.request("GET", path, **kwargs)

    def follow(self, response: requests.Response, limit: int = 5) -> requests.Response:
        """Follow redirects one by one (each is a request of its own, so
        each may land on the other server)."""
        for _ in range(limit):
            if response.status_code not in (301, 302, 303, 307, 308):
                return response
            response = self.get(urljoin(response.url, response.headers["Location"]))
        return response

    def open(self, path: str) -> requests.Response:
        """GET a page (following redirects) and keep it as the current page."""
        self.page = self.follow(self.get(path))
        assert self.page.status_code == 200, (path, self.page.status_code, self.page.text[:500])
        return self.page

    def get_from_other_server(self, path: str, *, than: str, tries: int = 4):
        """GET `path` until a server other than `than` answers it (the load
        balancer alternates, so one extra request at most)."""
        for _ in range(tries):
            response = self.get(path)
            if self.last_server != than:
                return response
        raise AssertionError(f"{path}: only {than} answered")

    @property
    def last_server(self) -> str:
        return self.hits[-1].server if self.hits else ""

    # --- forms ------------------------------------------------------------------

    def form(self, *, action: str | None = None, button: str | None = None) -> Form:
        """The form of the current page whose action contains `action`, or
        that has a button named `button` (the first POST form otherwise)."""
        assert self.page is not None, "no page open"
        candidates = [f for f in forms_of(self.page.text) if f.method == "post"]
        if action is not None:
            candidates = [f for f in candidates if action in (f.action or self.page.url)]
        if button is not None:
            candidates = [f for f in candidates if any(n == button for n, _ in f.buttons)]
        assert candidates, f"no such form on {self.page.url} (action={action}, button={button})"
        return candidates[0]

    def submit(
        self,
        data: dict | None = None,
        *,
        action: str | None = None,
        button: tuple[str, str] | None = None,
        files: dict | None = None,
        follow: bool = True,
    ) -> requests.Response:
        form = self.form(action=action, button=button[0] if button else None)
        values = form.values(data)
        if button:
            values.append(button)
        target = urljoin(self.page.url, form.action) if form.action else self.page.url
        response = self.request("POST", target, data=values, files=files)
        self.submits.append(
            (self.page.headers.get(SERVER_HEADER, ""), self.last_server, response.status_code)
        )
        if follow:
            response = self.follow(response)
            if response.status_code == 200:
                self.page = response
        return response

    def post(self, path: str, data: dict | None = None, files: dict | None = None):
        """POST to `path` with the CSRF token of the current page, as a
        page's script or a second form would."""
        assert self.page is not None, "no page open"
        token = dict(forms_of(self.page.text)[0].fields)["csrfmiddlewaretoken"]
        return self.request(
            "POST",
            path,
            data={"csrfmiddlewaretoken": token, **(data or {})},
            files=files,
            headers={"Referer": self.page.url},
        )

    def login(self, username: str, password: str) -> None:
        self.open("/compte/connexion/")
        response = self.submit(
            {"username": username, "password": password}, action="/compte/connexion/"
        )
        assert response.status_code == 200, response.status_code
        assert "Se déconnecter" in response.text or "Déconnexion" in response.text, text_of(
            response.text
        )[:2000]


def text_of(html: str) -> str:
    """The visible text of a page, whitespace folded (for assertions)."""
    html = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()
