"""Gateway handlers: sign a user in, seed users, forward a POST at most once per idempotency key,
append to and read the access audit.

bcrypt work runs in a worker thread so one sign-in does not stall every forwarded request.
"""

import asyncio
from collections.abc import Awaitable, Callable, Iterable

from sqlalchemy import delete, insert, select, text, update
from sqlalchemy.exc import IntegrityError

from isets_contracts.reference import Role
from isets_kit.auth import Principal
from isets_kit.unit_of_work import UnitOfWork, utcnow
from gateway import domain
from gateway.adapters.orm import access_audit, idempotency_keys, users
from gateway.adapters.upstream import UpstreamError, UpstreamUnreachable
from gateway.domain import Access, ChainBreak, KeyUse, Passwords, UpstreamResponse, User

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


# One PostgreSQL advisory lock (per database) serialises appends across gateway replicas.
AUDIT_CHAIN_LOCK = 0x15E7_A0D1
_ACCESS_FIELDS = ("user_id", "role", "method", "route", "customer_id", "status", "correlation_id", "at")


async def append_accesses(new_uow: UnitOfWorkFactory, accesses: list[Access]) -> None:
    """Rule: the audit is one chain. Appends take the chain head under a lock, so two writers never
    link to the same entry (SQLite: the kit begins every transaction IMMEDIATE, which locks as much)."""
    async with new_uow() as uow:
        session = uow.session
        if session.bind.dialect.name == "postgresql":
            await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": AUDIT_CHAIN_LOCK})
        head = (
            await session.execute(
                select(access_audit.c.position, access_audit.c.hash).order_by(access_audit.c.position.desc()).limit(1)
            )
        ).first()
        position, previous = (head.position, head.hash) if head else (0, domain.FIRST_PREVIOUS_HASH)
        rows = []
        for access in accesses:
            position += 1
            entry_hash = domain.chain_hash(access, previous)
            rows.append(
                {name: getattr(access, name) for name in _ACCESS_FIELDS}
                | {"position": position, "previous_hash": previous, "hash": entry_hash}
            )
            previous = entry_hash
        await session.execute(insert(access_audit), rows)
        await uow.commit()


def _access(row) -> Access:
    return Access(**{name: getattr(row, name) for name in _ACCESS_FIELDS})


async def customer_accesses(new_uow: UnitOfWorkFactory, customer_id: str, limit: int, before: int | None) -> list[dict]:
    """A customer's access history, newest first; `before` pages back by position."""
    query = select(access_audit).where(access_audit.c.customer_id == customer_id)
    if before is not None:
        query = query.where(access_audit.c.position < before)
    async with new_uow() as uow:
        rows = (await uow.session.execute(query.order_by(access_audit.c.position.desc()).limit(limit))).all()
    return [{"position": row.position, **{name: getattr(row, name) for name in _ACCESS_FIELDS}} for row in rows]


async def verify_audit_chain(new_uow: UnitOfWorkFactory, chunk: int = 5000) -> tuple[int, ChainBreak | None]:
    """Recompute the whole chain, `chunk` entries at a time. Returns how many entries were checked and the
    first broken one (None: the chain is whole)."""
    checked, previous, after = 0, domain.FIRST_PREVIOUS_HASH, 0
    while True:
        async with new_uow() as uow:
            rows = (
                await uow.session.execute(
                    select(access_audit)
                    .where(access_audit.c.position > after)
                    .order_by(access_audit.c.position)
                    .limit(chunk)
                )
            ).all()
        if not rows:
            return checked, None
        broken = domain.first_break(
            ((row.position, _access(row), row.previous_hash, row.hash) for row in rows),
            previous,
            expected_position=after + 1,
        )
        if broken is not None:
            return broken.position - 1, broken
        checked, previous, after = checked + len(rows), rows[-1].hash, rows[-1].position
