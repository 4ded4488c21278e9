"""Gateway handlers: sign a user in, seed users, forward a POST at most once per idempotency key.

bcrypt work runs in a worker thread so one sign-in does not stall every forwarded request.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from isets_contracts.reference import Role
from isets_kit.auth import Principal
from isets_kit.unit_of_work import UnitOfWork, utcnow
from gateway import domain
from gateway.adapters.orm import idempotency_keys, users
from gateway.adapters.upstream import UpstreamError, UpstreamUnreachable
from gateway.domain import KeyUse, Passwords, UpstreamResponse, User

UnitOfWorkFactory = Callable[[], UnitOfWork]


async def authenticate(new_uow: UnitOfWorkFactory, passwords: Passwords, username: str, password: str) -> Principal | None:
    async with new_uow() as uow:
        row = (await uow.session.execute(select(users).where(users.c.username == username))).first()
    hashed = row.password_hash if row else None
    if not await asyncio.to_thread(passwords.matches, password, hashed):
        return None
    return Principal(
        user_id=row.username,
        role=Role(row.role),
        name=row.display_name,
        locations=frozenset(row.locations),
        customer_id=row.customer_id,
    )


async def add_missing_users(
    new_uow: UnitOfWorkFactory, passwords: Passwords, wanted: Iterable[User], password: str
) -> list[str]:
    """Insert the users not there yet, all with `password`; existing ones (and their passwords) are left alone."""
    async with new_uow() as uow:
        existing = set(await uow.session.scalars(select(users.c.username)))
    missing = [user for user in wanted if user.username not in existing]
    if not missing:
        return []
    hashes = [await asyncio.to_thread(passwords.hash, password) for _ in missing]
    now = utcnow()
    async with new_uow() as uow:
        await uow.session.execute(
            insert(users),
            [
                {
                    "username": user.username,
                    "password_hash": hashed,
                    "role": user.role.value,
                    "display_name": user.display_name,
                    "locations": sorted(user.locations),
                    "customer_id": user.customer_id,
                    "created_at": now,
                }
                for user, hashed in zip(missing, hashes, strict=True)
            ],
        )
        await uow.commit()
    return [user.username for user in missing]


async def forward_once(
    new_uow: UnitOfWorkFactory,
    user_id: str,
    key: str,
    method: str,
    path: str,
    send: Callable[[], Awaitable[UpstreamResponse]],
) -> tuple[UpstreamResponse, bool]:
    """Rule: a user's repeated request with the same idempotency key gets the first answer, and the upstream
    sees the request once. The key is claimed before forwarding, so a concurrent repeat is refused (409, retry
    later) rather than forwarded too. Returns the response and whether it was replayed."""
    domain.check_idempotency_key(key)
    stored = await _claim(new_uow, user_id, key, method, path)
    if stored is not None:
        return stored, True
    try:
        response = await send()
    except UpstreamUnreachable:
        await _release(new_uow, user_id, key)
        raise
    except UpstreamError:
        raise  # the upstream may have acted on it: the claim holds until its lease lapses
    except Exception:  # e.g. the caller hung up mid-upload: the upstream never had the whole request
        await _release(new_uow, user_id, key)
        raise
    if domain.worth_keeping(response):
        await _keep(new_uow, user_id, key, response)
    else:
        await _release(new_uow, user_id, key)
    return response, False


async def forget_old_keys(new_uow: UnitOfWorkFactory, now) -> int:
    """Drop idempotency keys older than they are kept for; returns how many."""
    async with new_uow() as uow:
        result = await uow.session.execute(
            delete(idempotency_keys).where(idempotency_keys.c.created_at < now - domain.KEY_KEPT_FOR)
        )
        await uow.commit()
    return result.rowcount


def _this_key(user_id: str, key: str):
    return (idempotency_keys.c.user_id == user_id) & (idempotency_keys.c.key == key)


async def _claim(new_uow: UnitOfWorkFactory, user_id: str, key: str, method: str, path: str) -> UpstreamResponse | None:
    now = utcnow()
    try:
        async with new_uow() as uow:
            row = (await uow.session.execute(select(idempotency_keys).where(_this_key(user_id, key)))).first()
            if row is None:
                await uow.session.execute(
                    insert(idempotency_keys).values(user_id=user_id, key=key, method=method, path=path, created_at=now)
                )
            else:
                response = None if row.status is None else UpstreamResponse(row.status, row.body, row.content_type)
                stored = domain.replay(KeyUse(row.method, row.path, row.created_at, response), method, path, now)
                if stored is not None:
                    return stored
                taken_over = await uow.session.execute(
                    update(idempotency_keys)
                    .where(_this_key(user_id, key), idempotency_keys.c.created_at == row.created_at)
                    .values(created_at=now)
                )
                if taken_over.rowcount != 1:
                    raise domain.KeyInProgress()
            await uow.commit()
    except IntegrityError:  # a concurrent request inserted the claim first
        raise domain.KeyInProgress() from None
    return None


async def _keep(new_uow: UnitOfWorkFactory, user_id: str, key: str, response: UpstreamResponse) -> None:
    async with new_uow() as uow:
        await uow.session.execute(
            update(idempotency_keys)
            .where(_this_key(user_id, key))
            .values(status=response.status, body=response.body, content_type=response.content_type)
        )
        await uow.commit()


async def _release(new_uow: UnitOfWorkFactory, user_id: str, key: str) -> None:
    async with new_uow() as uow:
        await uow.session.execute(delete(idempotency_keys).where(_this_key(user_id, key)))
        await uow.commit()
