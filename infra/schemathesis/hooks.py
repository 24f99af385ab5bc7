"""Schemathesis hooks for the session pass (run.sh sets SCHEMATHESIS_HOOKS=hooks).

The dashboard's browser holds two cookies: the access token (luneo_at, which Schemathesis sends as
the OpenAPI `session` scheme from the config) and the CSRF token (luneo_csrf), which the page echoes
in x-csrf-token on every write (double submit, api/src/auth/cookies.ts). The schema does not
describe the CSRF cookie, so this hook puts it in every request, as the browser's jar would.
"""

import os

import schemathesis

CSRF_TOKEN = os.environ.get("ST_CSRF_TOKEN", "")


@schemathesis.hook
def before_call(context, case, kwargs):
    if CSRF_TOKEN:
        case.cookies = {**(case.cookies or {}), "luneo_csrf": CSRF_TOKEN}
