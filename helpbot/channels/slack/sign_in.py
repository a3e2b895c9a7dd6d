"""Sign in with Slack (OpenID Connect) for the staff pages: the authorize URL, the code
exchange (``openid.connect.token``) and who signed in (``openid.connect.userInfo``).

Only members of helpbot's own workspace get in: the team in the user's claims must be
``SLACK_TEAM_ID`` (or the bot token's team, from ``auth.test``).
"""

from __future__ import annotations

import logging
from urllib.parse import urlencode

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from helpbot.channels.slack.logs import library_logger
from helpbot.errors import StaffSignInError
from helpbot.storage.staff_access import StaffMember

logger = logging.getLogger(__name__)

SCOPES = "openid profile"
TEAM_CLAIM = "https://slack.com/team_id"


class SlackSignIn:
    """The three steps of Sign in with Slack, through slack_sdk's WebClient."""

    def __init__(self, *, client_id: str, client_secret: str, api_base_url: str,
                 bot_client: WebClient, team_id: str | None) -> None:
        self._client_id = client_id
        self._client_secret = client_secret
        self._api_base_url = api_base_url
        # Slack's browser pages live beside the Web API: https://slack.com/openid/...
        self._site = api_base_url.rstrip("/").removesuffix("/api")
        self._bot = bot_client
        self._team_id = team_id

    def authorize_url(self, *, redirect_uri: str, state: str, nonce: str) -> str:
        query = urlencode({
            "response_type": "code", "scope": SCOPES, "client_id": self._client_id,
            "state": state, "nonce": nonce, "redirect_uri": redirect_uri,
        })
        return f"{self._site}/openid/connect/authorize?{query}"

    def finish(self, *, code: str, redirect_uri: str) -> StaffMember:
        """Exchange the code; the staff member, or StaffSignInError saying why not."""
        try:
            token = WebClient(base_url=self._api_base_url, timeout=10,
                              logger=library_logger("helpbot.slack.sdk")).openid_connect_token(
                client_id=self._client_id, client_secret=self._client_secret, code=code,
                redirect_uri=redirect_uri,
            )
            user_client = WebClient(token=str(token["access_token"]),
                                    base_url=self._api_base_url, timeout=10,
                                    logger=library_logger("helpbot.slack.sdk"))
            claims = user_client.openid_connect_userInfo()
        except SlackApiError as error:
            raise StaffSignInError(
                f"Slack refused the sign-in ({error.response.get('error')}); try again"
            ) from None
        except SlackClientError as error:
            logger.warning("Sign in with Slack: Slack could not be reached (%s)",
                           type(error).__name__)
            raise StaffSignInError("Slack could not be reached; try again in a minute") from None
        if claims.get(TEAM_CLAIM) != self._own_team():
            raise StaffSignInError("this Slack account is not in the NPO's workspace")
        user_id = str(claims.get("sub") or "")
        if not user_id:
            raise StaffSignInError("Slack did not say who signed in; try again")
        return StaffMember(staff_id=user_id, name=str(claims.get("name") or user_id))

    def _own_team(self) -> str | None:
        if self._team_id is None:
            try:
                self._team_id = str(self._bot.auth_test()["team_id"])
            except SlackClientError:
                raise StaffSignInError(
                    "Slack could not be reached to check the workspace; try again"
                ) from None
        return self._team_id
