with source as (
    select * from {{ source('pipeline', 'reports') }}
),

renamed as (
    select
        report_id,
        report_id as report_sha256,
        source_name,
        location as source_location,
        fetched_at,
        size_bytes,
        media_type,
        encoding as text_encoding,
        text_source,
        archive_path,
        status as report_status,
        failure_reason,
        title as report_title,
        document_number,
        issuing_body,
        province as province_name,
        issue_date,
        period_label,
        period_start as period_start_date,
        period_end as period_end_date,
        supersedes as superseded_report_id,
        observation_count,
        first_run_id,
        status_run_id,
        updated_at
    from source
),

final as (
    select * from renamed
)

select * from final
