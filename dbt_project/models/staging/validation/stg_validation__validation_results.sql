with source as (
    select * from {{ source('validation', 'validation_results') }}
),

renamed as (
    select
        run_id,
        checkpoint as checkpoint_name,
        suite as suite_name,
        expectation as expectation_type,
        column_name,
        success as is_success,
        unexpected_count,
        unexpected_sample::text as unexpected_sample,
        validated_at
    from source
),

final as (
    select * from renamed
)

select * from final
