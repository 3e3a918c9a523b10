"""Accounts and credits: who an API key is, what an account can afford, charges and refunds.

Each API key is its own account (``config.account_id`` + the key's index); another account's uploads and
videos look unknown, as if they did not exist (docs/api-facts.rst, 'Open questions'). Credits come from
``credit_monthly`` first, then ``credit_package``; moderation (status 7) refunds, a failure (status 8) does
not (unknown; the docs only promise refunds for moderation).
"""

from __future__ import annotations

import hmac

from pixverse_provider.api import errors
from pixverse_provider.emulator.answers import ApiError
from pixverse_provider.emulator.config import EmulatorConfig
from pixverse_provider.emulator.records import Account, Job

__all__ = ["Ledger"]


class Ledger:
    """The accounts of one emulator run, with the credits charged and refunded so far.

    Not thread-safe by itself: ``EmulatorState`` calls it under its lock.

    :param config: the API keys, the first account id and the starting balances.
    """

    def __init__(self, config: EmulatorConfig) -> None:
        self._accounts = {
            key: Account(config.account_id + i, config.credit_monthly, config.credits)
            for i, key in enumerate(config.api_keys)
        }
        self.credits_charged = 0
        self.generations_refunded = 0
        self.credits_refunded = 0

    def authenticate(self, api_key: str | None, error_code: int) -> int:
        """The account id behind ``api_key``; a missing or unknown key answers ``error_code``."""
        for key, account in self._accounts.items():
            if api_key is not None and hmac.compare_digest(key.encode(), api_key.encode()):
                return account.account_id
        raise ApiError(error_code, "invalid API-KEY")

    def account(self, account_id: int | None) -> Account:
        """The account with that id (the first key's account for None)."""
        accounts = list(self._accounts.values())
        if account_id is None:
            return accounts[0]
        return next(a for a in accounts if a.account_id == account_id)

    def set_balances(self, *, credits: int | None = None, credit_monthly: int | None = None) -> None:
        """Set every account's package and/or monthly balance (the admin API's config change)."""
        for account in self._accounts.values():
            if credits is not None:
                account.credit_package = credits
            if credit_monthly is not None:
                account.credit_monthly = credit_monthly

    def check_affordable(self, account_id: int, price: int) -> None:
        """Raise 500090 (insufficient balance) unless the account has ``price`` credits."""
        account = self.account(account_id)
        if account.total < price:
            raise ApiError(
                errors.INSUFFICIENT_BALANCE,
                f"insufficient balance: this request costs {price} credits, the account has {account.total}",
            )

    def charge(self, account_id: int, price: int) -> tuple[int, int]:
        """Take ``price`` credits; returns the (monthly, package) credits taken."""
        self.credits_charged += price
        return self.account(account_id).charge(price)

    def refund(self, job: Job) -> None:
        """Give back what ``job`` was charged (a moderated generation)."""
        self.account(job.account_id).refund(*job.charged)
        self.generations_refunded += 1
        self.credits_refunded += job.credits
