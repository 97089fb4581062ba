with source as (
    select * from {{ source('pipeline', 'extractions') }}
),

renamed as (
    select
        report_id,
        extractor_version,
        run_id,
        observation_count,
        extracted_at,
        is_current,
        superseded_at,
        superseded_by_version
    from source
),

final as (
    select * from renamed
)

select * from final
