-- The org-unit hierarchy over time: country → province → facilities that reports name. The 63
-- provinces before the merger are valid until 2025-06-30 (vn.<code>), the 34 after it from
-- 2025-07-01 (vn.2025.<code>); a province that continues is two units, the old one pointing to the
-- new one as its successor. Codes and official names come from the national list (seed checked
-- against the vietnamadminunits package).
with provinces as (
    select * from {{ ref('stg_seeds__provinces') }}
),

observations as (
    select * from {{ ref('int_observations__accepted') }}
),

country as (
    select
        'vn'::text as facility_id,
        'Việt Nam'::text as facility_name,
        'country'::text as facility_type,
        null::text as parent_facility_id,
        null::text as province_name,
        null::text as successor_province_id,
        null::text as successor_province_name,
        false as is_merged_away,
        null::date as valid_from_date,
        null::date as valid_to_date,
        null::text as province_map,
        null::text as official_code,
        'Việt Nam'::text as official_name,
        'Viet Nam'::text as facility_name_ascii
),

province_units as (
    select
        'vn.' || province_code as facility_id,
        province_name as facility_name,
        'province' as facility_type,
        'vn' as parent_facility_id,
        province_name,
        'vn.2025.' || successor_province_code as successor_province_id,
        successor_current_name as successor_province_name,
        is_merged_away,
        valid_from_date,
        valid_to_date,
        '63_provinces' as province_map,
        official_province_code as official_code,
        official_province_name as official_name,
        province_name_ascii as facility_name_ascii
    from provinces
),

merged_units as (
    -- the 34 from 1 July 2025, each keeping the key of the province it is named after
    select distinct
        'vn.2025.' || successor_province_code as facility_id,
        successor_current_name as facility_name,
        'province' as facility_type,
        'vn' as parent_facility_id,
        successor_current_name as province_name,
        null::text as successor_province_id,
        null::text as successor_province_name,
        false as is_merged_away,
        date '2025-07-01' as valid_from_date,
        null::date as valid_to_date,
        '34_provinces' as province_map,
        successor_official_province_code as official_code,
        successor_official_province_name as official_name,
        successor_current_name_ascii as facility_name_ascii
    from provinces
),

named_facilities as (
    select distinct
        facility_id,
        facility_name,
        case
            when facility_name ilike 'bệnh viện%' then 'hospital'
            when facility_name ilike 'trung tâm%' then 'centre'
            when facility_name ilike 'sở y tế%' then 'department_of_health'
            else 'other'
        end as facility_type,
        'vn.' || province_code as parent_facility_id,
        province_name
    from observations
    where facility_name is not null and province_code is not null
),

facility_units as (
    select
        f.facility_id,
        f.facility_name,
        f.facility_type,
        f.parent_facility_id,
        f.province_name,
        p.successor_province_id,
        p.successor_province_name,
        false as is_merged_away,
        null::date as valid_from_date,
        null::date as valid_to_date,
        null::text as province_map,
        null::text as official_code,
        null::text as official_name,
        null::text as facility_name_ascii
    from named_facilities as f
    inner join province_units as p on f.parent_facility_id = p.facility_id
),

final as (
    select * from country
    union all
    select * from province_units
    union all
    select * from merged_units
    union all
    select * from facility_units
)

select * from final
