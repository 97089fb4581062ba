-- Grain: one row per indicator × facility × period × kind × dimension.
with latest as (
    select * from {{ ref('int_indicator_values__latest') }}
),

final as (
    select
        {{ surrogate_key(['indicator_code', 'facility_id', 'period_id', 'value_kind', 'dimension']) }} as indicator_value_id,
        indicator_code as indicator_id,
        facility_id,
        period_id,
        value_kind,
        dimension,
        observed_value,
        unit,
        qualifier,
        latest_report_id,
        latest_observation_id,
        report_count::int as report_count,
        has_conflict,
        is_outlier,
        outlier_score
    from latest
)

select * from final
