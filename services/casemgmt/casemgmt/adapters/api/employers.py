"""Employers, their worksites and jobs: registered before customers are placed at them. Staff only."""

from dataclasses import asdict
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from isets_kit.http import input_guard
from isets_kit.text import plain_text
from isets_kit.dependencies import Caller, Reads, UnitOfWorkFactory
from casemgmt.adapters.schemas.employers import (
    EmployerIn,
    EmployerOut,
    EmployerPage,
    EmployerWithWorksites,
    JobIn,
    JobOut,
    JobPage,
    WorksiteIn,
    WorksiteOut,
)
from casemgmt.service_layer import employers as service
from casemgmt.views import employers as views
from casemgmt.views.employers import JobSearch

router = APIRouter(tags=["employers, worksites and jobs"], dependencies=[input_guard])
Id = Annotated[int, Path(ge=1, le=2_147_483_647)]
Filter = plain_text(max_length=200, min_length=0)
Page = Annotated[int, Query(ge=1, le=1_000_000)]
PageSize = Annotated[int, Query(ge=1, le=500)]


@router.get("/employers", response_model=EmployerPage)
async def list_employers(
    reads: Reads, principal: Caller, name: Filter | None = Query(None, description="part of the name"), page: Page = 1, page_size: PageSize = 50
):
    items, total = await reads(views.employer_list, principal, name, page, page_size)
    return EmployerPage(items=items, total=total, page=page, page_size=page_size)


@router.post("/employers", response_model=EmployerOut, status_code=201)
async def register_employer(uow: UnitOfWorkFactory, body: EmployerIn, principal: Caller):
    return asdict(await service.register_employer(uow, principal, **body.model_dump()))


@router.get("/employers/{employer_id}", response_model=EmployerWithWorksites)
async def employer(reads: Reads, employer_id: Id, principal: Caller):
    return await reads(views.employer, principal, employer_id)


@router.get("/employers/{employer_id}/worksites", response_model=list[WorksiteOut])
async def list_worksites(reads: Reads, employer_id: Id, principal: Caller):
    return await reads(views.employer_worksites, principal, employer_id)


@router.post("/employers/{employer_id}/worksites", response_model=WorksiteOut, status_code=201)
async def add_worksite(uow: UnitOfWorkFactory, employer_id: Id, body: WorksiteIn, principal: Caller):
    return asdict(await service.add_worksite(uow, principal, employer_id, **body.model_dump()))


@router.get("/worksites/{worksite_id}/jobs", response_model=list[JobOut])
async def list_worksite_jobs(reads: Reads, worksite_id: Id, principal: Caller):
    return await reads(views.worksite_jobs, principal, worksite_id)


@router.post("/worksites/{worksite_id}/jobs", response_model=JobOut, status_code=201)
async def add_job(uow: UnitOfWorkFactory, reads: Reads, worksite_id: Id, body: JobIn, principal: Caller):
    job = await service.add_job(uow, principal, worksite_id, **body.model_dump())
    return await reads(views.job, principal, job.id)


async def job_search(  # async: a plain def would run in a worker thread for every request
    employer_id: int | None = Query(None, ge=1, le=2_147_483_647),
    worksite_id: int | None = Query(None, ge=1, le=2_147_483_647),
    county: Filter | None = Query(None, description="the worksite's county"),
    title: Filter | None = Query(None, description="part of the job title"),
    page: Page = 1,
    page_size: PageSize = 50,
) -> JobSearch:
    return JobSearch(employer_id, worksite_id, county, title, page, page_size)


@router.get("/jobs", response_model=JobPage)
async def list_jobs(reads: Reads, principal: Caller, search: Annotated[JobSearch, Depends(job_search)]):
    items, total = await reads(views.job_list, principal, search)
    return JobPage(items=items, total=total, page=search.page, page_size=search.page_size)


@router.get("/jobs/{job_id}", response_model=JobOut)
async def job(reads: Reads, job_id: Id, principal: Caller):
    return await reads(views.job, principal, job_id)
