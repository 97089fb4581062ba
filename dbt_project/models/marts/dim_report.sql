with reports as (
    select * from {{ ref('stg_raw__reports') }}
),

final as (
    select
        report_id,
        report_sha256,
        report_title,
        document_number,
        issuing_body,
        province_name,
        issue_date,
        period_label,
        source_name,
        source_location,
        archive_path,
        media_type,
        report_status,
        failure_reason,
        superseded_report_id,
        observation_count,
        fetched_at
    from reports
)

select * from final
