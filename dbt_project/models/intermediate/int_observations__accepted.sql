-- Observations that passed row-level validation, with the keys of every dimension resolved.
with observations as (
    select * from {{ ref('stg_raw__observations') }}
),

quarantined as (
    select distinct observation_id from {{ ref('stg_audit__quarantined_observations') }}
),

reports as (
    select * from {{ ref('stg_raw__reports') }}
),

provinces as (
    select * from {{ ref('stg_seeds__provinces') }}
),

accepted as (
    select o.*
    from observations as o
    left join quarantined as q using (observation_id)
    where q.observation_id is null
),

keyed as (
    select
        a.*,
        p.province_code,
        case
            when a.province_name is null then 'vn'
            when a.facility_name is not null then 'vn.' || p.province_code || '.' || {{ slugify('a.facility_name') }}
            else 'vn.' || p.province_code
        end as facility_id,
        {{ period_id('a.period_start_date', 'a.period_end_date') }} as period_id,
        r.issue_date as report_issue_date,
        r.fetched_at as report_fetched_at
    from accepted as a
    left join provinces as p on p.province_name = a.province_name
    left join reports as r on r.report_id = a.report_id
),

final as (
    select * from keyed
)

select * from final
