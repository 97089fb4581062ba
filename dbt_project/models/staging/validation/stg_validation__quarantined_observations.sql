with source as (
    select * from {{ source('validation', 'quarantined_observations') }}
),

renamed as (
    select
        observation_id,
        run_id,
        expectation as failed_expectation,
        reason as quarantine_reason,
        quarantined_at,
        released_at,
        released_run_id
    from source
),

final as (
    select * from renamed
)

select * from final
