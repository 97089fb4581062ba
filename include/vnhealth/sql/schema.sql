-- The warehouse's own tables (dbt owns staging, intermediate and marts).
-- Idempotent: run at every start.
create schema if not exists raw;
create schema if not exists audit;
create schema if not exists staging;
create schema if not exists intermediate;
create schema if not exists marts;

-- One row per distinct content (sha256) ever landed. Never deleted.
create table if not exists raw.reports (
    report_id        text primary key,            -- sha256 of the file's bytes
    source_name      text not null,
    location         text not null,               -- URL or path where it was first seen
    fetched_at       timestamptz not null,
    size_bytes       bigint not null,
    media_type       text,
    encoding         text,
    archive_path     text not null,
    status           text not null check (status in ('new', 'extracted', 'duplicate', 'failed')),
    failure_reason   text,
    title            text,
    document_number  text,
    issuing_body     text,
    province         text,
    issue_date       date,
    period_label     text,
    supersedes       text references raw.reports (report_id),
    observation_count integer,
    first_run_id     text,
    updated_at       timestamptz not null default now()
);

-- Every place and time a content was seen: the same file from two places is one report, two sightings.
create table if not exists raw.report_sightings (
    report_id    text not null references raw.reports (report_id),
    source_name  text not null,
    location     text not null,
    first_seen_at timestamptz not null,
    last_seen_at timestamptz not null,
    etag         text,
    last_modified text,
    primary key (report_id, source_name, location)
);

-- Every reading of a report by one version of the extractor. A report is read again when the
-- extractor changes; the earlier reading and its observations are kept, marked superseded.
create table if not exists raw.extractions (
    report_id         text not null references raw.reports (report_id),
    extractor_version text not null,
    run_id            text not null,
    observation_count integer not null,
    extracted_at      timestamptz not null default now(),
    is_current        boolean not null default true,
    superseded_at     timestamptz,
    superseded_by_version text,
    primary key (report_id, extractor_version)
);
create unique index if not exists extractions_one_current_idx on raw.extractions (report_id) where is_current;

-- What the extractor read out of each report, in the observation contract. An observation's id is
-- the same fact's id under every extractor version; each version's reading keeps its own row.
create table if not exists raw.observations (
    observation_id   text not null,               -- sha256 of report, indicator, kind, qualifier, dimension, facility, area, period, value, offsets
    report_id        text not null,               -- a report's, through its reading's key below
    source           text not null,
    indicator        text not null,
    value            double precision not null,
    unit             text not null,
    kind             text not null,
    qualifier        text not null,
    period_start     date,
    period_end       date,
    area             text,
    dimension        text,
    facility         text,
    evidence         text not null,
    evidence_start   integer not null,
    evidence_end     integer not null,
    extractor_version text not null,
    run_id           text,
    loaded_at        timestamptz not null default now()
);
create index if not exists observations_report_idx on raw.observations (report_id);

-- Columns and keys added since the first layout; each statement is a no-op once applied.
alter table raw.reports add column if not exists period_start date;       -- the report's own period
alter table raw.reports add column if not exists period_end date;
alter table raw.reports add column if not exists status_run_id text;      -- the run that set its status
alter table raw.report_sightings add column if not exists last_run_id text;
-- Landing asks, per file, which version was last seen at a place (supersedes, ETags, unchanged files):
-- without this index each question scans every sighting, and a 10,000-report backfill goes quadratic.
create index if not exists report_sightings_place_idx on raw.report_sightings (source_name, location, last_seen_at);
do $$
begin
    -- The first layout keyed observations by id alone and had no extractions: each extracted report
    -- gets the extraction its rows came from, and the key takes the extractor version.
    if exists (select 1 from pg_constraint where conname = 'observations_pkey'
               and conrelid = 'raw.observations'::regclass and array_length(conkey, 1) = 1) then
        insert into raw.extractions (report_id, extractor_version, run_id, observation_count)
        select r.report_id, coalesce(v.version, '1.3.0'), coalesce(r.first_run_id, 'migrated'), count(o.observation_id)
        from raw.reports r
        left join lateral (select max(extractor_version) as version from raw.observations x
                           where x.report_id = r.report_id) v on true
        left join raw.observations o on o.report_id = r.report_id
        where r.status = 'extracted'
        group by r.report_id, v.version, r.first_run_id
        on conflict do nothing;
        alter table raw.observations drop constraint observations_pkey;
    end if;
    if not exists (select 1 from pg_constraint where conname = 'observations_pkey'
                   and conrelid = 'raw.observations'::regclass) then
        alter table raw.observations add constraint observations_pkey primary key (observation_id, extractor_version);
    end if;
    if not exists (select 1 from pg_constraint where conname = 'observations_extraction_fkey') then
        alter table raw.observations add constraint observations_extraction_fkey
            foreign key (report_id, extractor_version) references raw.extractions (report_id, extractor_version);
    end if;
end
$$;
-- An observation's report is its reading's, and a reading's report must exist (raw.extractions' key):
-- a second key from each observation to raw.reports checked nothing more and cost a 10,000-report
-- backfill's loading about 2 s of its 7, a lookup per row (bench/pipeline.py).
alter table raw.observations drop constraint if exists observations_report_id_fkey;

-- The observations the marts may read: each report's current extraction only.
create or replace view audit.current_observations as
select o.*
from raw.observations o
join raw.extractions e on e.report_id = o.report_id and e.extractor_version = o.extractor_version
where e.is_current;

-- What a new extractor version read differently from the one before it, per report: the audit
-- trail of a re-extraction (added, dropped, changed; unchanged facts are not listed).
create table if not exists audit.extraction_changes (
    change_id        text primary key,             -- md5 of report, versions, change and the two ids
    report_id        text not null references raw.reports (report_id),
    from_version     text not null,
    to_version       text not null,
    change           text not null check (change in ('added', 'dropped', 'changed')),
    old_observation_id text,
    new_observation_id text,
    indicator        text not null,
    old_value        double precision,
    new_value        double precision,
    old_period       text,
    new_period       text,
    evidence         text,
    run_id           text not null,
    recorded_at      timestamptz not null default now()
);

-- Runs of the nightly job, for the summary and for auditors.
create table if not exists audit.pipeline_runs (
    run_id         text primary key,
    started_at     timestamptz not null default now(),
    finished_at    timestamptz,
    reports_seen   integer,
    reports_new    integer,
    reports_failed integer,
    observations_loaded integer,
    observations_quarantined integer,
    data_docs_path text
);

-- Each build of the marts that passed validation, with the checksum of the dbt project it built: a
-- night with no new rows, no quarantine change and the same project builds nothing.
create table if not exists audit.mart_builds (
    run_id          text primary key,
    project_sha256  text not null,
    built_at        timestamptz not null default now()
);

-- dbt node results per run, recorded by the cosmos callback.
create table if not exists audit.dbt_results (
    run_id       text not null,
    unique_id    text not null,
    resource_type text not null,
    status       text not null,
    message      text,
    execution_time double precision,
    recorded_at  timestamptz not null default now(),
    primary key (run_id, unique_id)
);

-- Every expectation evaluated by a Great Expectations checkpoint.
create table if not exists audit.validation_results (
    run_id           text not null,
    checkpoint       text not null,
    suite            text not null,
    expectation      text not null,
    column_name      text,
    success          boolean not null,
    unexpected_count bigint,
    unexpected_sample jsonb,
    validated_at     timestamptz not null default now(),
    primary key (run_id, suite, expectation, column_name)
);

-- Observations held back by a row-level expectation; they never reach the marts.
create table if not exists audit.quarantined_observations (
    observation_id  text not null,
    run_id          text not null,
    expectation     text not null,
    reason          text,
    row_data        jsonb not null,
    quarantined_at  timestamptz not null default now(),
    primary key (observation_id, expectation)
);
-- A quarantine lasts while the rule still fails: a later validation that finds the row passing
-- (a corrected reading, a corrected related figure) releases it, and the release is kept.
alter table audit.quarantined_observations add column if not exists released_at timestamptz;
alter table audit.quarantined_observations add column if not exists released_run_id text;

-- The indicator catalogue, as validation reads it (loaded from the same CSV dbt seeds).
create table if not exists audit.indicator_catalogue (
    code text primary key,
    unit text not null,
    min_value double precision not null,
    max_value double precision not null
);

-- A number as reports write it once thousands separators are dropped and the decimal comma is a point.
create or replace function audit.num_text(v double precision) returns text language sql immutable as $$
    select case when v = trunc(v) then trunc(v)::numeric::text
                else rtrim(round(v::numeric, 10)::text, '0') end
$$;

-- One row per observation with the result of each row-level rule; Great Expectations checks
-- that every rule holds, and the failing observation ids are quarantined.
-- audit.observation_checks and audit.rule_checks were views; they are now tables that validation
-- fills from the views below once per run (Great Expectations and the quarantine then read a table,
-- not a view evaluated once per expectation).
do $$
begin
    if exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'audit' and c.relname = 'rule_checks' and c.relkind = 'v') then
        drop view audit.rule_checks;
    end if;
    if exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace
               where n.nspname = 'audit' and c.relname = 'observation_checks' and c.relkind = 'v') then
        drop view audit.observation_checks;
    end if;
end $$;

create or replace view audit.observation_check_view as
with o as (
    select o.*, c.code as catalogue_code, c.unit as catalogue_unit, c.min_value, c.max_value,
           -- `1 269 530 người` groups thousands with spaces, `2.676.093` with points, `51,3` a decimal comma
           -- (replaced only where a digit, a space and three digits meet: 0.67 s -> 0.53 s at 10,000 reports)
           replace(replace(case when o.evidence ~ '\d \d{3}'
                                then regexp_replace(o.evidence, '(\d) (?=\d{3}(\D|$))', '\1', 'g')
                                else o.evidence end, '.', ''), ',', '.')
               as evidence_digits
    from audit.current_observations o
    left join audit.indicator_catalogue c on c.code = o.indicator
)
select
    observation_id,
    indicator,
    value,
    unit,
    kind,
    qualifier,
    period_start,
    period_end,
    evidence,
    catalogue_code is not null as is_indicator_known,
    catalogue_code is null or unit = catalogue_unit as is_unit_of_indicator,
    catalogue_code is null or value between min_value and max_value as is_value_plausible,
    unit <> 'count' or (value >= 0 and value = trunc(value)) as is_count_whole,
    coalesce(period_start <= period_end, true) as is_period_ordered,
    length(trim(evidence)) > 0 and (
        position(audit.num_text(value) in evidence_digits) > 0
        or position(audit.num_text(value / 1e3) in evidence_digits) > 0
        or position(audit.num_text(value / 1e6) in evidence_digits) > 0
        or position(audit.num_text(value / 1e9) in evidence_digits) > 0
        or (value = 0 and evidence ilike '%không%')
        or (evidence like '%‰%' and position(audit.num_text(value * 10) in evidence_digits) > 0)  -- 5,9‰ of a pct is 0.59
    ) as has_value_in_evidence
from o;

-- Where a report's text came from: its own text (`text`) or OCR of its page images (`ocr`).
alter table raw.reports add column if not exists text_source text not null default 'text';
alter table audit.pipeline_runs add column if not exists observations_in_marts bigint;
alter table audit.pipeline_runs add column if not exists run_kind text;
alter table audit.pipeline_runs add column if not exists reports_extracted integer;
-- passed, passed with quarantine, or failed (with the tasks that failed): what the night's page and index show
alter table audit.pipeline_runs add column if not exists status text;
alter table audit.pipeline_runs add column if not exists failed_tasks text[];


-- Rules between figures, as DHIS2 states validation rules: a left side, an operator, a right side,
-- one column per rule with both sides and the observations on each, so that a failure says which
-- rule and between which figures:
--   is_parts_within_total   Σ inpatient + outpatient parts (left)  <=  their total (right)
--   is_deaths_within_cases  deaths (left)                          <=  cases of the same disease (right)
--   is_target_unit_same     a target's unit (left)                 =   its actual's unit (right)
-- `is_typical` flags outliers for auditors, never a reason to drop: a robust z-score (|x - median| /
-- (1.4826 MAD)) within the same indicator, unit, kind, dimension and period type (a year, a half, a
-- quarter, a month, or so many months from January), over all provinces and years.
drop view if exists audit.rule_check_view;
create view audit.rule_check_view as
with o as (
    select *, coalesce(period_start::text, '') || coalesce(period_end::text, '') as period_key,
           case when period_start is null or period_end is null then 'none'
                else ((extract(year from period_end) - extract(year from period_start)) * 12
                      + extract(month from period_end) - extract(month from period_start) + 1)::int::text
                     || case when extract(month from period_start) = 1 then 'm from January' else 'm' end
           end as period_type
    from audit.current_observations
),
parts as (
    select p.observation_id,
           sum(p.value) over (partition by p.report_id, p.indicator, p.kind, p.period_key, p.area, t.observation_id) as parts_sum,
           array_agg(p.observation_id) over (partition by p.report_id, p.indicator, p.kind, p.period_key, p.area,
                                              t.observation_id) as part_ids,
           t.value as total_value, t.observation_id as total_id
    from o p
    join o t on t.report_id = p.report_id and t.indicator = p.indicator and t.kind = p.kind
            and t.period_key = p.period_key and coalesce(t.area, '') = coalesce(p.area, '')
            and t.dimension is null and t.qualifier = 'exact' and coalesce(t.facility, '') = coalesce(p.facility, '')
    where p.dimension in ('inpatient', 'outpatient') and coalesce(p.facility, '') = coalesce(t.facility, '')
),
parts_worst as (
    select distinct on (observation_id) * from parts order by observation_id, parts_sum - total_value desc
),
deaths as (
    select distinct on (d.observation_id) d.observation_id, c.value as cases_value, c.observation_id as cases_id
    from o d
    join o c on c.report_id = d.report_id and c.kind = d.kind and c.period_key = d.period_key
            and coalesce(c.area, '') = coalesce(d.area, '')
            and c.indicator = replace(d.indicator, '_deaths', '_cases')
    where d.indicator like '%\_deaths'
    order by d.observation_id, c.value
),
units as (
    -- a target whose unit differs from the actual it is set against (same report, indicator, period, area)
    select distinct on (t.observation_id) t.observation_id, a.unit as actual_unit, a.observation_id as actual_id
    from o t
    join o a on a.report_id = t.report_id and a.indicator = t.indicator and a.period_key = t.period_key
            and coalesce(a.area, '') = coalesce(t.area, '') and coalesce(a.dimension, '') = coalesce(t.dimension, '')
            and a.kind = 'actual' and a.unit <> t.unit
    where t.kind = 'target'
    order by t.observation_id, a.observation_id
),
groups as (
    select indicator, unit, kind, coalesce(dimension, '') as dimension_key, period_type,
           percentile_cont(0.5) within group (order by value) as median_value, count(*) as n
    from o group by 1, 2, 3, 4, 5
),
spread as (
    select g.indicator, g.unit, g.kind, g.dimension_key, g.period_type, g.median_value, g.n,
           percentile_cont(0.5) within group (order by abs(x.value - g.median_value)) as mad_value
    from groups g
    join o x on x.indicator = g.indicator and x.unit = g.unit and x.kind = g.kind
            and coalesce(x.dimension, '') = g.dimension_key and x.period_type = g.period_type
    where g.n >= 5
    group by g.indicator, g.unit, g.kind, g.dimension_key, g.period_type, g.median_value, g.n
),
scored as (
    select o.*, s.median_value, s.mad_value, s.n as group_size,
           case when s.mad_value > 0 then abs(o.value - s.median_value) / (1.4826 * s.mad_value) end as outlier_score
    from o
    left join spread s on s.indicator = o.indicator and s.unit = o.unit and s.kind = o.kind
         and s.dimension_key = coalesce(o.dimension, '') and s.period_type = o.period_type
)
select
    o.observation_id,
    o.indicator,
    o.value,
    o.unit,
    o.kind,
    o.dimension,
    o.period_type,
    coalesce(p.parts_sum <= p.total_value * 1.0001, true) as is_parts_within_total,
    p.parts_sum,
    p.part_ids,
    p.total_value,
    p.total_id,
    coalesce(d.cases_value >= o.value, true) as is_deaths_within_cases,
    d.cases_value,
    d.cases_id,
    u.actual_unit is null as is_target_unit_same,
    u.actual_unit,
    u.actual_id,
    o.median_value,
    o.mad_value,
    o.group_size,
    o.outlier_score,
    coalesce(o.outlier_score <= 5, true) as is_typical
from scored o
left join parts_worst p on p.observation_id = o.observation_id
left join deaths d on d.observation_id = o.observation_id
left join units u on u.observation_id = o.observation_id;

-- What the last validation evaluated, one row per current observation (refreshed by validation).
create table if not exists audit.observation_checks as select * from audit.observation_check_view with no data;
create table if not exists audit.rule_checks as select * from audit.rule_check_view with no data;

-- Each outlier flag a validation raised, with its score, the median and the MAD of its group.
create table if not exists audit.outlier_flags (
    observation_id  text not null,
    run_id          text not null,
    outlier_score   double precision not null,
    median_value    double precision not null,
    mad_value       double precision not null,
    group_size      integer not null,
    period_type     text not null,
    flagged_at      timestamptz not null default now(),
    cleared_at      timestamptz,
    primary key (observation_id)
);

-- OpenLineage events of every run (Airflow's tasks; dbt's models through cosmos), loaded from the
-- file the OpenLineage file transport appends to, so lineage needs no lineage server.
create table if not exists audit.lineage_events (
    event_id            text primary key,          -- sha256 of the event as written
    airflow_run_id      text,                      -- the DAG run it belongs to
    dag_id              text,
    task_id             text,                      -- null for the DAG run's own events
    job_name            text not null,
    event_type          text not null,             -- START, RUNNING, COMPLETE, FAIL, ABORT
    event_time          timestamptz not null,
    openlineage_run_id  text not null,
    input_names         text[] not null default '{}',
    output_names        text[] not null default '{}',
    event               jsonb not null,
    loaded_at           timestamptz not null default now()
);
create index if not exists lineage_events_run_idx on audit.lineage_events (airflow_run_id, event_time);
-- How far the event file has been loaded (events are appended; a line is loaded once).
create table if not exists audit.lineage_log_offsets (
    log_path     text primary key,
    loaded_bytes bigint not null,
    loaded_at    timestamptz not null default now()
);
-- One row per dataset a task read or wrote: which task (and, for dbt_build, which model: the
-- dataset of the same name) produced each table in a given night.
create or replace view audit.lineage_datasets as
select e.airflow_run_id, e.dag_id, e.task_id, e.event_time, e.event_type, d.direction,
       d.dataset ->> 'namespace' as dataset_namespace, d.dataset ->> 'name' as dataset_name,
       e.event #>> '{run,facets,dbt_run,invocation_id}' as dbt_invocation_id, e.event_id
from audit.lineage_events e
cross join lateral (
    select 'input' as direction, x as dataset from jsonb_array_elements(e.event -> 'inputs') x
    union all
    select 'output', x from jsonb_array_elements(e.event -> 'outputs') x
) d;
