"""A tiny HTTP client with cookies (http.client): logs in like a browser and hands wrk the
session and CSRF cookies and the form token."""

import http.client
import re
import urllib.parse
from http.cookies import SimpleCookie

CSRF_INPUT_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SESSION_COOKIE = "vetsync_session"
CSRF_COOKIE = "vetsync_csrf"


class LoginFailed(Exception):
    pass


class Client:
    def __init__(self, host: str, port: int):
        self.host, self.port = host, port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None):
        """Returns (status, headers, body text); follows no redirect, keeps the cookies."""
        connection = http.client.HTTPConnection(self.host, self.port, timeout=60)
        headers = {"Host": self.host}
        if self.cookies:
            headers["Cookie"] = self.cookie_header()
        body = None
        if form is not None:
            body = urllib.parse.urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            connection.close()
        for value in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(value).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response.status, response.headers, text

    def cookie_header(self, only: tuple[str, ...] | None = None) -> str:
        return "; ".join(
            f"{name}={value}"
            for name, value in self.cookies.items()
            if only is None or name in only
        )

    def csrf_token(self, path: str) -> str:
        """GET a page with a form and return its csrfmiddlewaretoken."""
        status, _headers, text = self.request("GET", path)
        match = CSRF_INPUT_RE.search(text)
        if status != 200 or match is None:
            raise LoginFailed(f"GET {path}: {status}, no CSRF token in the page")
        return match.group(1)

    def clinic_login(self, clinic_rut: str, user_rut: str, password: str) -> None:
        token = self.csrf_token("/soporte/login")
        status, headers, _text = self.request(
            "POST",
            "/soporte/login",
            {
                "csrfmiddlewaretoken": token,
                "clinic_rut": clinic_rut,
                "user_rut": user_rut,
                "password": password,
            },
        )
        if status != 302 or SESSION_COOKIE not in self.cookies:
            raise LoginFailed(f"clinic login: {status} {headers.get('Location')}")

    def agent_login(self, username: str, password: str) -> None:
        token = self.csrf_token("/admin/login/")
        status, headers, _text = self.request(
            "POST",
            "/admin/login/",
            {
                "csrfmiddlewaretoken": token,
                "username": username,
                "password": password,
                "next": "/admin/",
            },
        )
        if status != 302 or SESSION_COOKIE not in self.cookies:
            raise LoginFailed(f"agent login: {status} {headers.get('Location')}")
