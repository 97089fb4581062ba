-- A table, not a view: the observation fact, the facility and period dimensions, the ranking and their
-- tests all read it, and as a view each of them evaluated it again (bench/pipeline.py). Its statistics
-- are gathered at once, so that the plans of what reads it never wait on autovacuum. Unlogged: rebuilt
-- whole by every build, it needs no write-ahead log (a crash empties it; the next build fills it).
{{ config(
    materialized='table',
    unlogged=true,
    post_hook=["create index on {{ this }} (observation_id)", "analyze {{ this }}"]
) }}
-- The observations the marts publish: each current report version's current reading, minus the
-- rows validation holds back, with the keys of every dimension resolved.
with observations as (
    select * from {{ ref('stg_pipeline__observations') }}
),

extractions as (
    select * from {{ ref('stg_pipeline__extractions') }}
),

versions as (
    select * from {{ ref('int_reports__versions') }}
),

quarantined as (
    select * from {{ ref('stg_validation__quarantined_observations') }}
),

reports as (
    select * from {{ ref('stg_pipeline__reports') }}
),

provinces as (
    select * from {{ ref('stg_seeds__provinces') }}
),

current_readings as (
    select o.*
    from observations as o
    inner join extractions as e
        on
            o.report_id = e.report_id
            and o.extractor_version = e.extractor_version
    inner join versions as v on o.report_id = v.report_id
    where e.is_current and v.is_current_version
),

held_back as (
    select distinct observation_id from quarantined
    where released_at is null
),

accepted as (
    select c.*
    from current_readings as c
    left join held_back as h on c.observation_id = h.observation_id
    where h.observation_id is null
),

keyed as (
    select
        a.*,
        p.province_code,
        case
            when a.province_name is null then 'vn'
            when a.facility_name is not null then 'vn.' || p.province_code || '.' || {{ slugify('a.facility_name') }}
            -- a figure for a period ending after the merger is the new province's when the province continues
            when a.period_end_date >= date '2025-07-01' and not p.is_merged_away then 'vn.2025.' || p.province_code
            else 'vn.' || p.province_code
        end as facility_id,
        {{ period_id('a.period_start_date', 'a.period_end_date') }} as period_id,
        r.issue_date as report_issue_date,
        r.period_end_date as report_period_end_date,
        r.fetched_at as report_fetched_at
    from accepted as a
    left join provinces as p on a.province_name = p.province_name
    left join reports as r on a.report_id = r.report_id
),

final as (
    select * from keyed
)

select * from final
