with source as (
    select * from {{ ref('provinces') }}
),

renamed as (
    select
        province_code,
        province_name,
        successor_code as successor_province_code,
        successor_name as successor_province_name,
        is_merged_away::boolean as is_merged_away,
        valid_from_date::date as valid_from_date,
        valid_to_date::date as valid_to_date
    from source
),

final as (
    select * from renamed
)

select * from final
