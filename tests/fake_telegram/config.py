"""Bot-wide settings the fake keeps: command lists (per scope and language) and the webhook."""

from __future__ import annotations

import json

from tests.fake_telegram.models import JsonDict, Upload, bad_request
from tests.fake_telegram.updates import UpdateQueue
from tests.fake_telegram.validation import (
    COMMAND_NAME,
    SECRET_TOKEN,
    TERMINATED_BY_WEBHOOK,
    as_bool,
    int_param,
    json_param,
)


class BotConfig:
    """setMyCommands and friends, setWebhook and friends."""

    def __init__(self, queue: UpdateQueue) -> None:
        self.queue = queue
        self.commands: dict[tuple[str, str], list[JsonDict]] = {}
        self.webhook: JsonDict = {}

    @staticmethod
    def _commands_key(params: JsonDict) -> tuple[str, str]:
        scope = json_param(params, "scope") or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(params.get("language_code") or "")

    async def set_my_commands(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """setMyCommands: validate and store the list for its scope and language."""
        commands = json_param(params, "commands")
        if not isinstance(commands, list) or len(commands) > 100:
            raise bad_request("can't parse commands JSON object")
        for command in commands:
            if not isinstance(command, dict) or not COMMAND_NAME.match(str(command.get("command", ""))):
                raise bad_request("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", ""))) <= 256:
                raise bad_request("BOT_COMMAND_DESCRIPTION_INVALID")
        self.commands[self._commands_key(params)] = [
            {"command": str(c["command"]), "description": str(c["description"])} for c in commands
        ]
        return True

    async def get_my_commands(self, params: JsonDict, uploads: dict[str, Upload]) -> list[JsonDict]:
        """getMyCommands: the list stored for the scope and language (empty if none)."""
        return list(self.commands.get(self._commands_key(params), []))

    async def set_webhook(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """setWebhook: store url and secret token (HTTPS only, like Telegram)."""
        url = str(params.get("url") or "")
        if url and not url.startswith("https://"):
            raise bad_request("bad webhook: An HTTPS URL must be provided for webhook")
        secret = params.get("secret_token")
        if secret is not None and not SECRET_TOKEN.match(str(secret)):
            raise bad_request("secret token contains unallowed characters")
        if as_bool(params.get("drop_pending_updates")):
            self.queue.drop_all()
        self.queue.terminate_waiting_polls(TERMINATED_BY_WEBHOOK)
        self.webhook = {"url": url, "secret_token": secret} if url else {}
        if url:
            self.webhook["allowed_updates"] = json_param(params, "allowed_updates")
            self.webhook["max_connections"] = int_param(params, "max_connections", 40)
        return True

    async def delete_webhook(self, params: JsonDict, uploads: dict[str, Upload]) -> bool:
        """deleteWebhook: forget the webhook, optionally dropping pending updates."""
        if as_bool(params.get("drop_pending_updates")):
            self.queue.drop_all()
        self.webhook = {}
        return True

    async def get_webhook_info(self, params: JsonDict, uploads: dict[str, Upload]) -> JsonDict:
        """getWebhookInfo: the WebhookInfo object."""
        info: JsonDict = {
            "url": self.webhook.get("url", ""),
            "has_custom_certificate": False,
            "pending_update_count": self.queue.pending_count,
        }
        if self.webhook.get("url"):
            info["max_connections"] = self.webhook.get("max_connections", 40)
            if self.webhook.get("allowed_updates"):
                info["allowed_updates"] = self.webhook["allowed_updates"]
        return info
