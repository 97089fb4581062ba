with indicators as (
    select * from {{ ref('stg_seeds__indicator_catalogue') }}
),

final as (
    select
        indicator_code as indicator_id,
        indicator_name_vi,
        indicator_name_en,
        indicator_domain,
        unit,
        plausible_min_value,
        plausible_max_value,
        is_higher_better,
        area_aggregation,
        time_aggregation,
        numerator_indicator_code as numerator_indicator_id,
        denominator_indicator_code as denominator_indicator_id,
        ratio_factor
    from indicators
)

select * from final
