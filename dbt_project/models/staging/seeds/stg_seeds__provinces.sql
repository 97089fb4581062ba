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
        valid_to_date::date as valid_to_date,
        official_code as official_province_code,
        official_name as official_province_name,
        name_ascii as province_name_ascii,
        successor_official_code as successor_official_province_code,
        successor_official_name as successor_official_province_name,
        successor_short_name as successor_current_name,
        successor_name_ascii as successor_current_name_ascii
    from source
),

final as (
    select * from renamed
)

select * from final
