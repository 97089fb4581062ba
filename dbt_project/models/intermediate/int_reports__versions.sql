-- Which version of each location is current. A location (a path or URL) holds one report after
-- another as its file changes; the marts read the version seen there last. A version that could
-- not be read (or a failed fetch) never replaces a readable one.
with reports as (
    select * from {{ ref('stg_pipeline__reports') }}
),

sightings as (
    select * from {{ ref('stg_pipeline__report_sightings') }}
),

readable_sightings as (
    select s.*
    from sightings as s
    inner join reports as r on s.report_id = r.report_id
    where r.report_status <> 'failed'
),

ranked as (
    select
        report_id,
        row_number() over (
            partition by source_name, source_location
            order by last_seen_at desc, first_seen_at desc, report_id desc
        ) as recency_rank,
        lead(report_id) over (
            partition by source_name, source_location
            order by first_seen_at, report_id
        ) as next_report_id
    from readable_sightings
),

per_report as (
    select
        report_id,
        bool_or(recency_rank = 1) as is_current_version,
        max(case when recency_rank > 1 then next_report_id end) as superseded_by_report_id
    from ranked
    group by report_id
),

final as (
    select
        r.report_id,
        coalesce(p.is_current_version, false) as is_current_version,
        case when coalesce(p.is_current_version, false) then null else p.superseded_by_report_id end
            as superseded_by_report_id
    from reports as r
    left join per_report as p on r.report_id = p.report_id
)

select * from final
