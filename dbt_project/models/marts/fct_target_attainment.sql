-- Grain: one row per indicator × facility × period × dimension that has both a target and an actual.
with attainment as (
    select * from {{ ref('int_target_attainment') }}
),

final as (
    select
        {{ surrogate_key(['indicator_code', 'facility_id', 'period_id', 'dimension']) }} as target_attainment_id,
        indicator_code as indicator_id,
        facility_id,
        period_id,
        dimension,
        actual_value,
        target_value,
        target_qualifier,
        attainment_ratio,
        is_met
    from attainment
)

select * from final
