-- The org-unit hierarchy: country → province (63 before the merger, with their successor among
-- the 34 after it) → facilities that reports name.
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
        null::date as valid_to_date
),

province_units as (
    select
        'vn.' || province_code as facility_id,
        province_name as facility_name,
        'province' as facility_type,
        'vn' as parent_facility_id,
        province_name,
        'vn.' || successor_province_code as successor_province_id,
        successor_province_name,
        is_merged_away,
        valid_from_date,
        valid_to_date
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
        null::date as valid_to_date
    from named_facilities as f
    inner join province_units as p on p.facility_id = f.parent_facility_id
),

final as (
    select * from country
    union all
    select * from province_units
    union all
    select * from facility_units
)

select * from final
