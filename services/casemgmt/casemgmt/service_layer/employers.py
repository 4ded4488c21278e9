"""Registering employers, their worksites and jobs: staff with a role that changes plans (policy.EDITORS)."""

from collections.abc import Callable

from sqlalchemy import select

from isets_kit.auth import Principal
from isets_kit.errors import Conflict, NotFound
from isets_kit.unit_of_work import UnitOfWork
from casemgmt import policy
from casemgmt.clock import now
from casemgmt.domain.employers import Employer, Job, Worksite

UnitOfWorkFactory = Callable[[], UnitOfWork]


async def register_employer(new_uow: UnitOfWorkFactory, principal: Principal, **details) -> Employer:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        fein = details.get("fein")
        if fein and await uow.session.scalar(select(Employer.id).where(Employer.fein == fein)) is not None:
            raise Conflict("fein", f"an employer with FEIN {fein} is registered already")
        employer = Employer(**details, registered_at=now(), registered_by=principal.user_id)
        uow.session.add(employer)
        await uow.commit()
        return employer


async def add_worksite(new_uow: UnitOfWorkFactory, principal: Principal, employer_id: int, **details) -> Worksite:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        if await uow.session.get(Employer, employer_id) is None:
            raise NotFound("employer_id", f"no employer {employer_id}")
        worksite = Worksite(employer_id=employer_id, **details, registered_at=now(), registered_by=principal.user_id)
        uow.session.add(worksite)
        await uow.commit()
        return worksite


async def add_job(new_uow: UnitOfWorkFactory, principal: Principal, worksite_id: int, **details) -> Job:
    policy.check_role(principal, policy.EDITORS)
    async with new_uow() as uow:
        if await uow.session.get(Worksite, worksite_id) is None:
            raise NotFound("worksite_id", f"no worksite {worksite_id}")
        job = Job(worksite_id=worksite_id, **details, registered_at=now(), registered_by=principal.user_id)
        uow.session.add(job)
        await uow.commit()
        return job
