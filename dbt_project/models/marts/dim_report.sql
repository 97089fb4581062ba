with reports as (
    select * from {{ ref('stg_pipeline__reports') }}
),

versions as (
    select * from {{ ref('int_reports__versions') }}
),

extractions as (
    select * from {{ ref('stg_pipeline__extractions') }}
),

current_readings as (
    select
        report_id,
        extractor_version,
        observation_count
    from extractions
    where is_current
),

final as (
    select
        r.report_id,
        r.report_sha256,
        r.report_title,
        r.document_number,
        r.issuing_body,
        r.province_name,
        r.issue_date,
        r.period_label,
        r.period_start_date,
        r.period_end_date,
        r.source_name,
        r.source_location,
        r.archive_path,
        r.media_type,
        r.text_source,
        r.report_status,
        r.failure_reason,
        r.superseded_report_id,
        v.superseded_by_report_id,
        v.is_current_version,
        c.extractor_version as current_extractor_version,
        coalesce(c.observation_count, r.observation_count) as observation_count,
        r.fetched_at
    from reports as r
    inner join versions as v on r.report_id = v.report_id
    left join current_readings as c on r.report_id = c.report_id
)

select * from final
