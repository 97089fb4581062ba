with source as (
    select * from {{ source('validation', 'outlier_flags') }}
),

renamed as (
    select
        observation_id,
        run_id as flagged_run_id,
        outlier_score,
        median_value as peer_median_value,
        mad_value as peer_mad_value,
        group_size as peer_count,
        period_type,
        flagged_at,
        cleared_at,
        cleared_at is null as is_outlier
    from source
),

final as (
    select * from renamed
)

select * from final
