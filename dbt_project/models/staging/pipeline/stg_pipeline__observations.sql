with source as (
    select * from {{ source('pipeline', 'observations') }}
),

renamed as (
    select
        observation_id,
        report_id,
        source as source_file,
        indicator as indicator_code,
        value::double precision as observed_value,
        unit,
        kind as value_kind,
        qualifier,
        period_start as period_start_date,
        period_end as period_end_date,
        area as province_name,
        dimension,
        facility as facility_name,
        evidence,
        evidence_start,
        evidence_end,
        extractor_version,
        run_id,
        loaded_at
    from source
),

final as (
    select * from renamed
)

select * from final
