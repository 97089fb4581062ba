with source as (
    select * from {{ ref('indicator_catalogue') }}
),

renamed as (
    select
        code as indicator_code,
        domain as indicator_domain,
        unit,
        name_en as indicator_name_en,
        name_vi as indicator_name_vi,
        min_value::double precision as plausible_min_value,
        max_value::double precision as plausible_max_value,
        higher_is_better::boolean as is_higher_better,
        area_aggregation,
        time_aggregation,
        nullif(numerator_code, '') as numerator_indicator_code,
        nullif(denominator_code, '') as denominator_indicator_code,
        ratio_factor::double precision as ratio_factor
    from source
),

final as (
    select * from renamed
)

select * from final
