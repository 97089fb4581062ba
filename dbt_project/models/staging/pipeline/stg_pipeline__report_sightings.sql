with source as (
    select * from {{ source('pipeline', 'report_sightings') }}
),

renamed as (
    select
        report_id,
        source_name,
        location as source_location,
        first_seen_at,
        last_seen_at,
        etag,
        last_modified,
        last_run_id
    from source
),

final as (
    select * from renamed
)

select * from final
